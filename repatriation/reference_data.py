"""The counterpart agencies of the countries of origin, loaded by migration 0002 (the initial
copy only: a sysadmin edits the live one in the admin).

Thailand returns foreign victims under bilateral memoranda of understanding on cooperation
against trafficking in persons (with Cambodia 2003, renewed 2014; Lao PDR 2005, renewed 2017;
Viet Nam 2008; Myanmar 2009) and their standard operating procedures for repatriation.
UNCERTAIN: docs/DOMAIN-FACTS.md gives no source for these agreements or agencies; the names and
years come from the governments' and IOM's public summaries and must be checked by the central
division, which is why they are reference data, not constants.
"""

# (code, country ISO 3166, name_th, name_en, arrangement_th, arrangement_en)
COUNTERPARTS = (
    (
        "mm-dsw",
        "MM",
        "กรมสวัสดิการสังคม กระทรวงสวัสดิการสังคม การบรรเทาทุกข์และการตั้งถิ่นฐานใหม่ เมียนมา",
        "Department of Social Welfare, Ministry of Social Welfare, Relief and Resettlement, "
        "Myanmar",
        "บันทึกความเข้าใจไทย–เมียนมาว่าด้วยความร่วมมือเพื่อต่อต้านการค้ามนุษย์ (พ.ศ. 2552)",
        "MOU Thailand–Myanmar on cooperation to combat trafficking in persons (2009)",
    ),
    (
        "kh-mosvy",
        "KH",
        "กระทรวงกิจการสังคม ทหารผ่านศึกและการฟื้นฟูเยาวชน กัมพูชา",
        "Ministry of Social Affairs, Veterans and Youth Rehabilitation, Cambodia",
        "บันทึกความเข้าใจไทย–กัมพูชาว่าด้วยความร่วมมือเพื่อต่อต้านการค้ามนุษย์ (พ.ศ. 2546, 2557)",
        "MOU Thailand–Cambodia on cooperation to combat trafficking in persons (2003, 2014)",
    ),
    (
        "la-molsw",
        "LA",
        "กระทรวงแรงงานและสวัสดิการสังคม สปป.ลาว",
        "Ministry of Labour and Social Welfare, Lao PDR",
        "บันทึกความเข้าใจไทย–สปป.ลาวว่าด้วยความร่วมมือเพื่อต่อต้านการค้ามนุษย์ (พ.ศ. 2548, 2560)",
        "MOU Thailand–Lao PDR on cooperation to combat trafficking in persons (2005, 2017)",
    ),
    (
        "vn-molisa",
        "VN",
        "กระทรวงแรงงาน ผู้พิการและกิจการสังคม เวียดนาม",
        "Ministry of Labour, Invalids and Social Affairs, Viet Nam",
        "บันทึกความเข้าใจไทย–เวียดนามว่าด้วยความร่วมมือเพื่อต่อต้านการค้ามนุษย์ (พ.ศ. 2551)",
        "MOU Thailand–Viet Nam on cooperation to combat trafficking in persons (2008)",
    ),
)
