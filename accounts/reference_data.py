"""Reference data seeded by the accounts data migrations.

Sources: province codes are the Ministry of Interior / TIS 1099 codes (the first two digits of the
Thai ID-card area code); English names follow the Royal Thai General System as used by the Royal
Institute; regions follow the six-region system of the National Geographical Committee. Offices,
the anti-trafficking division and the shelters follow the Ministry of Social Development and
Human Security (MSDHS); shelter capacities are not published and are seeded placeholders.

This is only the initial copy: a sysadmin edits the live copy in the Django admin.
"""

# (code, name_th, name_en, region); region is one of
# "north", "northeast", "central", "east", "west", "south".
PROVINCES = (
    ("10", "กรุงเทพมหานคร", "Bangkok", "central"),
    ("11", "สมุทรปราการ", "Samut Prakan", "central"),
    ("12", "นนทบุรี", "Nonthaburi", "central"),
    ("13", "ปทุมธานี", "Pathum Thani", "central"),
    ("14", "พระนครศรีอยุธยา", "Phra Nakhon Si Ayutthaya", "central"),
    ("15", "อ่างทอง", "Ang Thong", "central"),
    ("16", "ลพบุรี", "Lop Buri", "central"),
    ("17", "สิงห์บุรี", "Sing Buri", "central"),
    ("18", "ชัยนาท", "Chai Nat", "central"),
    ("19", "สระบุรี", "Saraburi", "central"),
    ("20", "ชลบุรี", "Chon Buri", "east"),
    ("21", "ระยอง", "Rayong", "east"),
    ("22", "จันทบุรี", "Chanthaburi", "east"),
    ("23", "ตราด", "Trat", "east"),
    ("24", "ฉะเชิงเทรา", "Chachoengsao", "east"),
    ("25", "ปราจีนบุรี", "Prachin Buri", "east"),
    ("26", "นครนายก", "Nakhon Nayok", "central"),
    ("27", "สระแก้ว", "Sa Kaeo", "east"),
    ("30", "นครราชสีมา", "Nakhon Ratchasima", "northeast"),
    ("31", "บุรีรัมย์", "Buri Ram", "northeast"),
    ("32", "สุรินทร์", "Surin", "northeast"),
    ("33", "ศรีสะเกษ", "Si Sa Ket", "northeast"),
    ("34", "อุบลราชธานี", "Ubon Ratchathani", "northeast"),
    ("35", "ยโสธร", "Yasothon", "northeast"),
    ("36", "ชัยภูมิ", "Chaiyaphum", "northeast"),
    ("37", "อำนาจเจริญ", "Amnat Charoen", "northeast"),
    ("38", "บึงกาฬ", "Bueng Kan", "northeast"),
    ("39", "หนองบัวลำภู", "Nong Bua Lam Phu", "northeast"),
    ("40", "ขอนแก่น", "Khon Kaen", "northeast"),
    ("41", "อุดรธานี", "Udon Thani", "northeast"),
    ("42", "เลย", "Loei", "northeast"),
    ("43", "หนองคาย", "Nong Khai", "northeast"),
    ("44", "มหาสารคาม", "Maha Sarakham", "northeast"),
    ("45", "ร้อยเอ็ด", "Roi Et", "northeast"),
    ("46", "กาฬสินธุ์", "Kalasin", "northeast"),
    ("47", "สกลนคร", "Sakon Nakhon", "northeast"),
    ("48", "นครพนม", "Nakhon Phanom", "northeast"),
    ("49", "มุกดาหาร", "Mukdahan", "northeast"),
    ("50", "เชียงใหม่", "Chiang Mai", "north"),
    ("51", "ลำพูน", "Lamphun", "north"),
    ("52", "ลำปาง", "Lampang", "north"),
    ("53", "อุตรดิตถ์", "Uttaradit", "north"),
    ("54", "แพร่", "Phrae", "north"),
    ("55", "น่าน", "Nan", "north"),
    ("56", "พะเยา", "Phayao", "north"),
    ("57", "เชียงราย", "Chiang Rai", "north"),
    ("58", "แม่ฮ่องสอน", "Mae Hong Son", "north"),
    ("60", "นครสวรรค์", "Nakhon Sawan", "central"),
    ("61", "อุทัยธานี", "Uthai Thani", "central"),
    ("62", "กำแพงเพชร", "Kamphaeng Phet", "central"),
    ("63", "ตาก", "Tak", "west"),
    ("64", "สุโขทัย", "Sukhothai", "central"),
    ("65", "พิษณุโลก", "Phitsanulok", "central"),
    ("66", "พิจิตร", "Phichit", "central"),
    ("67", "เพชรบูรณ์", "Phetchabun", "central"),
    ("70", "ราชบุรี", "Ratchaburi", "west"),
    ("71", "กาญจนบุรี", "Kanchanaburi", "west"),
    ("72", "สุพรรณบุรี", "Suphan Buri", "central"),
    ("73", "นครปฐม", "Nakhon Pathom", "central"),
    ("74", "สมุทรสาคร", "Samut Sakhon", "central"),
    ("75", "สมุทรสงคราม", "Samut Songkhram", "central"),
    ("76", "เพชรบุรี", "Phetchaburi", "west"),
    ("77", "ประจวบคีรีขันธ์", "Prachuap Khiri Khan", "west"),
    ("80", "นครศรีธรรมราช", "Nakhon Si Thammarat", "south"),
    ("81", "กระบี่", "Krabi", "south"),
    ("82", "พังงา", "Phang Nga", "south"),
    ("83", "ภูเก็ต", "Phuket", "south"),
    ("84", "สุราษฎร์ธานี", "Surat Thani", "south"),
    ("85", "ระนอง", "Ranong", "south"),
    ("86", "ชุมพร", "Chumphon", "south"),
    ("90", "สงขลา", "Songkhla", "south"),
    ("91", "สตูล", "Satun", "south"),
    ("92", "ตรัง", "Trang", "south"),
    ("93", "พัทลุง", "Phatthalung", "south"),
    ("94", "ปัตตานี", "Pattani", "south"),
    ("95", "ยะลา", "Yala", "south"),
    ("96", "นราธิวาส", "Narathiwat", "south"),
)

# (number, name_th, name_en, seat_province_code) for the MSDHS regional academic support offices
# (สสว.1-สสว.11). The seat provinces are a best-effort guess, not checked against an official
# list: they are editable reference data, to be confirmed and corrected in the admin.
REGIONAL_OFFICES = (
    (1, "สำนักงานส่งเสริมและสนับสนุนวิชาการ 1", "Regional Office for Academic Support 1", "10"),
    (2, "สำนักงานส่งเสริมและสนับสนุนวิชาการ 2", "Regional Office for Academic Support 2", "70"),
    (3, "สำนักงานส่งเสริมและสนับสนุนวิชาการ 3", "Regional Office for Academic Support 3", "20"),
    (4, "สำนักงานส่งเสริมและสนับสนุนวิชาการ 4", "Regional Office for Academic Support 4", "30"),
    (5, "สำนักงานส่งเสริมและสนับสนุนวิชาการ 5", "Regional Office for Academic Support 5", "34"),
    (6, "สำนักงานส่งเสริมและสนับสนุนวิชาการ 6", "Regional Office for Academic Support 6", "40"),
    (7, "สำนักงานส่งเสริมและสนับสนุนวิชาการ 7", "Regional Office for Academic Support 7", "41"),
    (8, "สำนักงานส่งเสริมและสนับสนุนวิชาการ 8", "Regional Office for Academic Support 8", "60"),
    (9, "สำนักงานส่งเสริมและสนับสนุนวิชาการ 9", "Regional Office for Academic Support 9", "50"),
    (10, "สำนักงานส่งเสริมและสนับสนุนวิชาการ 10", "Regional Office for Academic Support 10", "84"),
    (11, "สำนักงานส่งเสริมและสนับสนุนวิชาการ 11", "Regional Office for Academic Support 11", "90"),
)

# The provinces each regional academic support office covers, by office number (the seat's
# province among them). UNCERTAIN: no official list was found; this groups each province with
# the nearest seat along the ministry's usual upper/lower north, northeast, east, west, central
# and south groupings (Tak with Chiang Mai, for the Mae Sot border work). Editable in the admin.
REGIONAL_COVERAGE = {
    1: ("10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "26"),
    2: ("70", "71", "72", "73", "74", "75", "76", "77"),
    3: ("20", "21", "22", "23", "24", "25", "27"),
    4: ("30", "31", "32", "36"),
    5: ("33", "34", "35", "37", "49"),
    6: ("40", "44", "45", "46"),
    7: ("38", "39", "41", "42", "43", "47", "48"),
    8: ("53", "60", "61", "62", "64", "65", "66", "67"),
    9: ("50", "51", "52", "54", "55", "56", "57", "58", "63"),
    10: ("80", "81", "82", "83", "84", "85", "86"),
    11: ("90", "91", "92", "93", "94", "95", "96"),
}

# (slug, name_th, name_en, province_code, target_group, units); target_group is one of
# "women_and_girls", "men", "men_and_boys", "women_and_children"; units is a tuple of
# (section, capacity) with section among "women", "girls", "men", "boys", "families",
# "accessible", "lgbtqi". Capacities are not published: these are seeded placeholders.
SHELTERS = (
    (
        "kredtrakarn",
        "บ้านเกร็ดตระการ",
        "Kredtrakarn Protection and Occupational Development Centre",
        "12",
        "women_and_girls",
        (("women", 60), ("girls", 50), ("lgbtqi", 10)),
    ),
    (
        "pathumthani",
        "สถานคุ้มครองสวัสดิภาพผู้เสียหายจากการค้ามนุษย์ (ชาย) จังหวัดปทุมธานี",
        "Pathum Thani Shelter for Male Victims",
        "13",
        "men",
        (("men", 80), ("families", 20)),
    ),
    (
        # Men and boys aged 15 and over.
        "songkhla",
        "สถานคุ้มครองสวัสดิภาพผู้เสียหายจากการค้ามนุษย์ จังหวัดสงขลา",
        "Songkhla Shelter for Victims of Trafficking",
        "90",
        "men_and_boys",
        (("men", 50), ("boys", 20)),
    ),
    (
        "narisawat",
        "บ้านนารีสวัสดิ์",
        "Narisawat Shelter",
        "30",
        "women_and_girls",
        (("women", 30), ("girls", 30)),
    ),
    (
        "songkwae",
        "บ้านสองแคว",
        "Songkwae Shelter",
        "65",
        "women_and_children",
        (("women", 25), ("girls", 20), ("boys", 15)),
    ),
    (
        "srisurat",
        "บ้านศรีสุราษฎร์",
        "Srisurat Shelter",
        "84",
        "women_and_girls",
        (("women", 30), ("girls", 30)),
    ),
)

# (name_th, name_en) of the MSDHS central anti-trafficking division.
CENTRAL_DIVISION = ("กองต่อต้านการค้ามนุษย์", "Division of Anti-Trafficking in Persons")

# Format strings for a Provincial Office of Social Development and Human Security; {province} is
# the province's name_th / name_en. Bangkok differs: Thai usage drops the word จังหวัด before
# กรุงเทพมหานคร, so its office name needs a hand edit rather than this template.
PROVINCIAL_OFFICE_NAME_TH = "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัด{province}"
PROVINCIAL_OFFICE_NAME_EN = "{province} Provincial Office of Social Development and Human Security"
