"""Name parts for generated test data (the load generator and the intake benchmark): the names
people of each nationality in the NRM commonly carry, in Latin, native and Thai script. Not
real persons: two or three parts are drawn at random."""

# (Latin, Thai) of Thai given names and family names.
THAI_FIRST = [
    ("Somchai", "สมชาย"), ("Somsri", "สมศรี"), ("Prasert", "ประเสริฐ"), ("Malee", "มาลี"),
    ("Suda", "สุดา"), ("Wichai", "วิชัย"), ("Arunee", "อรุณี"), ("Thanaporn", "ธนพร"),
    ("Kitti", "กิตติ"), ("Napha", "นภา"), ("Boonmee", "บุญมี"), ("Chanphen", "จันทร์เพ็ญ"),
    ("Anan", "อนันต์"), ("Pranee", "ปราณี"), ("Sombat", "สมบัติ"), ("Wilai", "วิไล"),
    ("Niran", "นิรันดร์"), ("Ratana", "รัตนา"), ("Surachai", "สุรชัย"), ("Kanya", "กัญญา"),
    ("Phichit", "พิชิต"), ("Orathai", "อรทัย"), ("Thawat", "ธวัช"), ("Jintana", "จินตนา"),
    ("Chaiwat", "ชัยวัฒน์"), ("Siriporn", "ศิริพร"), ("Manop", "มานพ"), ("Duangjai", "ดวงใจ"),
]  # fmt: skip
THAI_LAST = [
    ("Jaidee", "ใจดี"), ("Srisuk", "ศรีสุข"), ("Kaewmanee", "แก้วมณี"), ("Boonma", "บุญมา"),
    ("Suksawat", "สุขสวัสดิ์"), ("Thongdee", "ทองดี"), ("Wongyai", "วงศ์ใหญ่"),
    ("Promma", "พรหมมา"), ("Saengthong", "แสงทอง"), ("Inthasorn", "อินทศร"),
    ("Rattanakorn", "รัตนากร"), ("Chaiyaphum", "ชัยภูมิ"), ("Phongsri", "พงษ์ศรี"),
    ("Khamkaew", "คำแก้ว"), ("Sriwichai", "ศรีวิชัย"), ("Nakhonchai", "นครชัย"),
    ("Thepsuwan", "เทพสุวรรณ"), ("Yodying", "ยอดยิ่ง"), ("Chumsai", "ชุมสาย"),
    ("Panyadee", "ปัญญาดี"),
]  # fmt: skip
# (Latin, native, Thai) name parts; Myanmar names have no family name.
MYANMAR = [
    ("Aung", "အောင်", "อ่อง"), ("Kyaw", "ကျော်", "จ่อ"), ("Zaw", "ဇော်", "ซอ"),
    ("Min", "မင်း", "มิน"), ("Mya", "မြ", "เมี๊ยะ"), ("Hla", "လှ", "หล่า"),
    ("Tun", "ထွန်း", "ทุน"), ("Su", "စု", "ซู"), ("Moe", "မိုး", "โม"), ("Htet", "ထက်", "เท็ต"),
    ("Win", "ဝင်း", "วิน"), ("Thida", "သီတာ", "ธิดา"), ("Naing", "နိုင်", "ไหน่"),
    ("Khin", "ခင်", "ขิ่น"), ("Nwe", "နွယ်", "นเว"), ("Soe", "စိုး", "โซ"),
    ("Thant", "သန့်", "ตาน"), ("Myint", "မြင့်", "มยิ้น"), ("Maung", "မောင်", "หม่อง"),
    ("Nyein", "ငြိမ်း", "เญ็น"), ("Phyo", "ဖြိုး", "พโย"), ("Lwin", "လွင်", "ลวิน"),
    ("Thu", "သူ", "ตู"), ("Ye", "ရဲ", "เย"), ("Kyi", "ကြည်", "จี"), ("San", "စန်း", "ซาน"),
    ("Yu", "ယု", "ยุ"), ("Wai", "ဝေ", "เว"), ("Myo", "မျိုး", "เมียว"), ("Zin", "ဇင်", "ซิน"),
    ("Ei", "အိ", "เอ"), ("Phyu", "ဖြူ", "พยู"), ("Hnin", "နှင်း", "นิน"), ("Thet", "သက်", "เต็ด"),
    ("Paing", "ပိုင်", "ไปน์"), ("Lin", "လင်း", "ลิน"), ("Nay", "နေ", "เน"), ("Chit", "ချစ်", "ชิต"),
    ("Mon", "မွန်", "มอน"), ("Khaing", "ခိုင်", "ไขน์"), ("Thin", "သင်း", "ติน"),
    ("Yin", "ယဉ်", "ยิน"), ("Aye", "အေး", "เอ"), ("Sandar", "စန္ဒာ", "สันดา"),
    ("Kaung", "ကောင်း", "กอง"), ("Htoo", "ထူး", "ทู"), ("Pyae", "ပြည့်", "เปีย"),
    ("Sithu", "စည်သူ", "สิทู"), ("Wut", "ဝတ်", "วุต"), ("Yee", "ရည်", "ยี"),
]  # fmt: skip
# (Latin, Thai) syllables that Thai given and family names are built of ("Srisuk", "Thongdee").
THAI_SYLLABLES = [
    ("som", "สม"), ("chai", "ชัย"), ("sri", "ศรี"), ("suk", "สุข"), ("wong", "วงศ์"),
    ("thong", "ทอง"), ("kaew", "แก้ว"), ("boon", "บุญ"), ("dee", "ดี"), ("jai", "ใจ"),
    ("saeng", "แสง"), ("chan", "จันทร์"), ("phrom", "พรหม"), ("in", "อินทร์"), ("rat", "รัตน์"),
    ("siri", "ศิริ"), ("porn", "พร"), ("kit", "กิจ"), ("ti", "ติ"), ("wat", "วัฒน์"),
    ("mongkol", "มงคล"), ("prasit", "ประสิทธิ์"), ("sak", "ศักดิ์"), ("yos", "ยศ"),
    ("nak", "นาค"), ("ruang", "เรือง"), ("sin", "สิน"), ("thep", "เทพ"), ("ngam", "งาม"),
    ("kham", "คำ"), ("phet", "เพชร"), ("buppha", "บุปผา"), ("sawat", "สวัสดิ์"), ("mee", "มี"),
    ("charoen", "เจริญ"), ("pan", "พันธ์"), ("wilai", "วิไล"), ("mani", "มณี"), ("ngoen", "เงิน"),
    ("rung", "รุ่ง"), ("arun", "อรุณ"), ("phon", "ผล"), ("sombat", "สมบัติ"), ("thip", "ทิพย์"),
]  # fmt: skip
LAO = [
    ("Khampheng", "ຄຳແພງ", "คำแพง"), ("Souksavanh", "ສຸກສະຫວັນ", "สุขสวรรค์"),
    ("Vongsa", "ວົງສາ", "วงศา"), ("Phonsavanh", "ພອນສະຫວັນ", "พรสวรรค์"),
    ("Bounmy", "ບຸນມີ", "บุญมี"), ("Keo", "ແກ້ວ", "แก้ว"), ("Sengdao", "ແສງດາວ", "แสงดาว"),
    ("Noy", "ນ້ອຍ", "น้อย"), ("Chanthavong", "ຈັນທະວົງ", "จันทะวงศ์"),
    ("Manivong", "ມະນີວົງ", "มณีวงศ์"),
]  # fmt: skip
KHMER = [
    ("Sokha", "សុខា", "สุขา"), ("Dara", "ដារា", "ดารา"), ("Sophea", "សុភា", "โสภา"),
    ("Vanna", "វណ្ណា", "วรรณา"), ("Chann", "ចាន់", "จันทร์"), ("Srey", "ស្រី", "สรี"),
    ("Pov", "ពៅ", "เปา"), ("Rith", "រិទ្ធ", "ฤทธิ์"), ("Chea", "ជា", "เจีย"), ("Kim", "គឹម", "คิม"),
]  # fmt: skip
# Latin-script names of the other nationalities met in Thai cases (Vietnamese, Chinese,
# Indonesian, Filipino, South Asian and East African victims of scam compounds).
OTHER_LATIN = {
    "VN": (["Nguyen", "Tran", "Le", "Pham", "Hoang", "Phan", "Vu", "Dang"],
           ["Van Nam", "Thi Lan", "Minh Tuan", "Thi Hoa", "Van Hung", "Thanh", "Quoc Anh"]),
    "CN": (["Li", "Wang", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang"],
           ["Wei", "Fang", "Na", "Lei", "Jun", "Yan", "Jie", "Ming"]),
    "ID": (["Siti", "Agus", "Dewi", "Budi", "Sri", "Eko", "Putri", "Rudi"],
           ["Rahayu", "Santoso", "Lestari", "Wijaya", "Hidayat", "Saputra"]),
    "PH": (["Maria", "Jose", "Ana", "Mark", "Joy", "Ramon", "Cristina"],
           ["Santos", "Reyes", "Cruz", "Bautista", "Garcia", "Mendoza"]),
    "LK": (["Nuwan", "Kasun", "Dilani", "Chaminda", "Sanduni"],
           ["Perera", "Fernando", "Silva", "Jayasuriya", "Bandara"]),
    "KE": (["Brian", "Faith", "Kevin", "Mercy", "Dennis"],
           ["Otieno", "Wanjiru", "Kamau", "Mwangi", "Achieng"]),
}  # fmt: skip
