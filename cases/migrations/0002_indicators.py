"""The screening checklist: ILO's 11 indicators of forced labour, and indicators of sexual
exploitation, of child trafficking and of criminal exploitation (online scam compounds).
Reference data: a sysadmin may add to it in the admin."""

from django.db import migrations

INDICATORS = [
    (
        "forced_labour",
        "abuse_of_vulnerability",
        "การใช้ประโยชน์จากความเปราะบาง",
        "Abuse of vulnerability",
    ),
    ("forced_labour", "deception", "การหลอกลวง", "Deception"),
    (
        "forced_labour",
        "restriction_of_movement",
        "การจำกัดเสรีภาพในการเดินทาง",
        "Restriction of movement",
    ),
    ("forced_labour", "isolation", "การตัดขาดจากผู้อื่น", "Isolation"),
    (
        "forced_labour",
        "physical_sexual_violence",
        "ความรุนแรงทางร่างกายและทางเพศ",
        "Physical and sexual violence",
    ),
    ("forced_labour", "intimidation_threats", "การข่มขู่และคุกคาม", "Intimidation and threats"),
    (
        "forced_labour",
        "retention_of_documents",
        "การยึดเอกสารประจำตัว",
        "Retention of identity documents",
    ),
    ("forced_labour", "withholding_of_wages", "การหักหรือไม่จ่ายค่าจ้าง", "Withholding of wages"),
    ("forced_labour", "debt_bondage", "การตกเป็นหนี้ผูกมัด", "Debt bondage"),
    (
        "forced_labour",
        "abusive_conditions",
        "สภาพการทำงานและความเป็นอยู่ที่เลวร้าย",
        "Abusive working and living conditions",
    ),
    ("forced_labour", "excessive_overtime", "การทำงานล่วงเวลาเกินสมควร", "Excessive overtime"),
    ("sexual", "forced_prostitution", "การบังคับค้าประเวณี", "Forced into prostitution"),
    ("sexual", "pornography", "การผลิตสื่อลามก", "Used in pornography"),
    ("sexual", "sexual_control", "การควบคุมผ่านความรุนแรงทางเพศ", "Control through sexual violence"),
    (
        "sexual",
        "recruited_by_false_job",
        "ถูกชักชวนด้วยงานที่ไม่มีอยู่จริง",
        "Recruited with a false job offer",
    ),
    ("child", "under_18", "อายุต่ำกว่า 18 ปี", "Under 18 years old"),
    ("child", "unaccompanied", "ไม่มีผู้ปกครองหรือผู้ดูแลมาด้วย", "Unaccompanied by a parent or guardian"),
    ("child", "child_labour", "การใช้แรงงานเด็กในงานอันตราย", "Hazardous child labour"),
    ("child", "child_begging", "การบังคับเด็กขอทาน", "Child forced to beg"),
    (
        "criminal",
        "forced_fraud",
        "ถูกบังคับให้หลอกลวงผู้อื่น (เช่น แก๊งคอลเซ็นเตอร์ออนไลน์)",
        "Forced to commit fraud (e.g. online scams)",
    ),
    ("criminal", "confined_compound", "ถูกกักตัวในอาคารหรือพื้นที่ปิด", "Confined to a compound"),
    ("criminal", "quota_punishment", "ถูกลงโทษเมื่อทำไม่ได้ตามเป้า", "Punished for missing quotas"),
    ("criminal", "resold", "ถูกขายต่อระหว่างนายจ้าง", "Sold on between employers"),
]


def load(apps, schema_editor):
    Indicator = apps.get_model("cases", "Indicator")
    for position, (group, code, name_th, name_en) in enumerate(INDICATORS):
        Indicator.objects.update_or_create(
            code=code,
            defaults={"group": group, "name_th": name_th, "name_en": name_en, "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
