"""The words around an answer, as data: greetings, terms of address, thanks, SMS shorthand, and the
words for yes / no / skip / done / not yet in Indonesian, slang, Javanese and Sundanese.

Sources: ``docs/LANGUAGE.md`` (field notes on how households and companions write).
Every entry is lower-case and already normalized (no punctuation). Add words here,
never in a flow.
"""

from __future__ import annotations

# Said to the reader, not part of the answer: "iya pak", "sudah mbak", "boleh bu".
ADDRESS_TERMS = frozenset(
    "pak bapak bpk bu ibu ibuk buk mas mbak mba mbk kak kakak dik adik dek bang abang om tante nak min admin gan "
    "pakde bude akang kang teteh teh ceu neng sir maam madam mister miss".split()
)

# Greetings and courtesies before the content; phrases are matched as whole words at the start.
GREETINGS = (
    "assalamualaikum warahmatullahi wabarakatuh", "assalamualaikum wr wb", "assalamualaikum", "assalamu alaikum",
    "asalamualaikum", "assalamualaikom", "askum", "ass wr wb", "ass wr wb", "aslm", "salam",
    "selamat pagi", "selamat siang", "selamat sore", "selamat malam", "pagi", "siang", "sore", "malam",
    "permisi", "maaf mengganggu", "maaf ganggu", "mohon maaf", "maaf", "punten", "nuwun sewu", "sugeng enjing",
    "halo", "hallo", "hai", "hi", "hello", "good morning", "good afternoon", "good evening", "excuse me", "sorry",
    "mohon bantuannya", "mohon bantuan", "mohon info", "mau tanya", "numpang tanya", "tanya",
)  # fmt: skip

# Thanks and closings, dropped wherever they stand.
CLOSINGS = (
    "terima kasih banyak", "terima kasih", "terimakasih", "trima kasih", "makasih banyak", "makasih", "makasi",
    "mksh", "mks", "trims", "tq", "thx", "thanks", "thank you", "matur nuwun", "maturnuwun", "hatur nuhun",
    "wassalamualaikum", "wassalam", "wasalam", "salam", "nggih matur nuwun",
)  # fmt: skip

# Particles that colour a sentence and carry no meaning of their own.
PARTICLES = frozenset("deh dong kok sih nih tuh lho loh kan yah kah toh mah wae atuh euy".split())

# SMS shorthand and spelling variants, one word to its standard form.
SHORTHAND = {
    "sy": "saya", "sya": "saya", "aq": "saya", "aku": "saya", "ak": "saya", "gw": "saya", "gue": "saya",
    "kulo": "saya", "kula": "saya", "abdi": "saya", "sayah": "saya",
    "yg": "yang", "dgn": "dengan", "dg": "dengan", "utk": "untuk", "untk": "untuk", "buat": "untuk",
    "krn": "karena", "krna": "karena", "karna": "karena", "soale": "karena",
    "tdk": "tidak", "tak": "tidak", "gak": "tidak", "ga": "tidak", "gk": "tidak", "nggak": "tidak",
    "ngga": "tidak", "nggk": "tidak", "enggak": "tidak", "engga": "tidak", "kagak": "tidak", "ndak": "tidak",
    "nda": "tidak", "ndk": "tidak", "tdak": "tidak", "tidk": "tidak", "mboten": "tidak",
    "ora": "tidak", "orak": "tidak", "henteu": "tidak", "teu": "tidak", "indak": "tidak", "gag": "tidak",
    "blm": "belum", "blom": "belum", "belom": "belum", "blum": "belum", "dereng": "belum", "durung": "belum",
    "sdh": "sudah", "udh": "sudah", "udah": "sudah", "dah": "sudah", "sudh": "sudah", "sampun": "sudah",
    "wis": "sudah", "uwis": "sudah", "parantos": "sudah", "tos": "sudah", "udahh": "sudah",
    "bs": "bisa", "bsa": "bisa", "dr": "dari", "sm": "sama", "ama": "sama", "jg": "juga", "lg": "lagi",
    "bln": "bulan", "thn": "tahun", "th": "tahun", "hr": "hari", "mgg": "minggu", "mg": "minggu",
    "org": "orang", "tlg": "tolong", "tolong2": "tolong",
    "gmn": "bagaimana", "gimana": "bagaimana", "bgmn": "bagaimana", "gmna": "bagaimana", "piye": "bagaimana",
    "knp": "kenapa", "kpn": "kapan", "dmn": "dimana", "trs": "terus", "trus": "terus", "terus2": "terus",
    "dpt": "dapat", "dapet": "dapat", "dpet": "dapat", "kmrn": "kemarin", "kmren": "kemarin", "kemaren": "kemarin",
    "wingi": "kemarin", "skrg": "sekarang", "skr": "sekarang", "skrang": "sekarang", "bsk": "besok",
    "tgl": "tanggal", "rb": "ribu", "rbu": "ribu", "jt": "juta", "kilo": "kg", "klo": "kalau", "kalo": "kalau",
    "kl": "kalau", "wkt": "waktu", "udh2": "sudah", "jd": "jadi", "jdi": "jadi", "sdg": "sedang",
    "lgi": "lagi", "msh": "masih", "masi": "masih", "mw": "mau", "pengen": "mau", "pingin": "mau",
    "pengin": "mau", "tau": "tahu", "tw": "tahu", "ngerti": "tahu", "ilang": "hilang", "ilng": "hilang",
    "hlang": "hilang", "hilng": "hilang", "kartunya": "kartu", "kartu2": "kartu", "nomer": "nomor", "no": "no",
    "iy": "iya", "iye": "iya", "yoi": "iya", "yup": "iya", "yap": "iya", "okey": "oke", "okay": "oke",
    "ok": "oke", "okee": "oke", "sip": "oke", "bener": "benar", "betul": "benar", "bnr": "benar",
    "bukan": "bukan", "bkn": "bukan", "sanes": "bukan", "dudu": "bukan",
}  # fmt: skip

# What a whole short answer means. Phrases are matched on the cleaned answer (see ``text.clean``):
# at its start, word by word. Longer phrases are tried first.
YES = (
    "iya", "ya", "y", "oke", "benar", "setuju", "boleh", "siap", "baik", "mau", "tentu", "betul", "yes", "yeah",
    "yep", "sure", "agree", "correct", "right", "nggih", "inggih", "enggeh", "iyo", "yo", "muhun", "sumuhun",
    "enya", "mangga", "monggo", "silakan", "silahkan", "lanjut", "lanjutkan", "gas", "sudah benar", "benar sekali",
    "betul sekali",
)  # fmt: skip
NO = (
    "tidak", "bukan", "jangan", "no", "nope", "not", "ulah", "tidak mau", "tidak setuju", "tidak jadi",
    "salah", "keliru", "wrong", "disagree",
)  # fmt: skip
SKIP = (
    "tidak ada", "tidak usah", "tidak perlu", "sudah itu saja", "itu saja", "itu aja", "sudah itu aja", "cukup",
    "lewat", "lewati", "skip", "tidak punya", "tidak wonten", "tidak ono", "tidak aya", "tidak ada lagi",
    "none", "nothing", "no photo", "nope nothing", "sudah cukup", "segitu saja", "segitu aja", "kosong",
    "nanti saja", "nanti aja", "next", "continue",
)  # fmt: skip
DONE = ("sudah", "selesai", "beres", "rampung", "done", "finished", "already", "sudah selesai")
NOT_YET = ("belum", "tidak acan", "acan", "not yet", "belum ada", "belum punya")
UNKNOWN = ("tidak tahu", "kurang tahu", "tidak tahu pak", "entah", "embuh", "don t know", "dont know", "no idea")

# Words that make an English speaker: counted against Indonesian ones to choose the language.
ENGLISH_MARKERS = frozenset(
    "the my is are was were i you we they it this that please help card lost have has not no yes hello hi "
    "good morning evening what how where when why can cannot can't didn't don't did do does receive received "
    "month money balance shop agent rice eggs price sick died name list english report problem of to for in "
    "on with and but".split()
)
INDONESIAN_MARKERS = frozenset(
    "saya yang dan di ke dari tidak belum sudah ada kartu bantuan bulan ini itu apa gimana bagaimana pak bu "
    "ibu bapak mau bisa hilang saldo beras telur agen warung nama daftar sakit meninggal tolong kami kita "
    "dengan untuk karena juga lagi kemarin sekarang".split()
)

# ---------------------------------------------------------------------------------------------------------
# The words of a problem (read by ``classify`` and ``facts``). Everything here is written in the standard
# form ``text.tokens`` gives ("gak bisa" is written "tidak bisa"); phrases are matched as whole words.

# Spelling variants and typos seen in problem reports, one word to the form the problem words below use.
# Kept apart from ``SHORTHAND`` so that short answers elsewhere read exactly as before.
PROBLEM_VARIANTS = {
    "kehilangan": "hilang", "ilangan": "hilang", "hilangg": "hilang", "hlng": "hilang", "ngilang": "hilang",
    "kilangan": "hilang", "ilangn": "hilang", "ilng": "hilang", "hiang": "hilang", "hilanf": "hilang",
    "rsk": "rusak", "rusk": "rusak", "ruksak": "rusak", "rusakk": "rusak",
    "blokir": "blokir", "blokr": "blokir", "keblokir": "terblokir", "keblokiran": "terblokir", "diblokir": "terblokir",
    "keblokirr": "terblokir", "ke blokir": "terblokir", "kblokir": "terblokir", "trblokir": "terblokir",
    "blocked": "terblokir", "block": "blokir", "blok": "blokir", "diblok": "terblokir", "keblok": "terblokir",
    "pinnya": "pin", "pinya": "pin", "pinx": "pin",
    "meningal": "meninggal", "meniggal": "meninggal", "menninggal": "meninggal", "mninggal": "meninggal",
    "meninggl": "meninggal", "meinggal": "meninggal", "mennggal": "meninggal", "meniggl": "meninggal",
    "alm": "almarhum", "almh": "almarhumah", "almarhumh": "almarhumah", "wafatnya": "wafat",
    "sakitsakitan": "sakit", "sakit2an": "sakit", "skt": "sakit", "sakitnya": "sakit", "lansianya": "lansia",
    "struk": "struk", "setruk": "stroke", "strok": "stroke", "stroc": "stroke", "stroke": "stroke",
    "slado": "saldo", "sldo": "saldo", "saldonya": "saldo", "saldo2": "saldo",
    "ksong": "kosong", "kosng": "kosong", "kosongg": "kosong",
    "telor": "telur", "tlur": "telur", "telornya": "telur", "telurnya": "telur", "tlr": "telur",
    "berasnya": "beras", "brs": "beras", "beras2": "beras", "bras": "beras",
    "ewarung": "ewarong", "ewarongnya": "ewarong", "warong": "warung", "warungnya": "warung",
    "agennya": "agen", "agent": "agen", "agan": "agen",
    "mahel": "mahal", "mahalan": "mahal", "kemahalan": "mahal", "mhl": "mahal",
    "busug": "busuk", "apak": "apek", "berkutu": "kutu", "kutuan": "kutu", "kutunya": "kutu",
    "terdaptar": "terdaftar", "tedaftar": "terdaftar", "trdaftar": "terdaftar", "terdaftr": "terdaftar",
    "ketelen": "tertelan", "ketelan": "tertelan", "ditelan": "tertelan", "tertelen": "tertelan",
    "kemakan": "tertelan", "dimakan": "tertelan", "kemakn": "tertelan",
    "cairnya": "cair", "cairr": "cair", "dicairkan": "cair", "tercair": "cair", "cairkan": "cair",
    "pkhnya": "pkh", "pkj": "pkh", "bpntnya": "bpnt", "bnpt": "bpnt", "bpn": "bpnt",
    "ktp": "ktp", "nik": "nik", "niknya": "nik",
    "tp": "tapi", "tpi": "tapi", "tetapi": "tapi", "namun": "tapi", "padahal": "padahal",
    "bln2": "bulan", "blnan": "bulan", "sbln": "sebulan", "bulannya": "bulan",
    "opnam": "opname", "diopname": "opname",
    "ngambil": "ambil", "ngambilnya": "ambil", "mengambil": "ambil", "diambil": "ambil", "ambilnya": "ambil",
    "kesana": "ke sana", "kesitu": "ke sana", "kewarung": "ke warung", "keagen": "ke agen",
}  # fmt: skip

# What the words of a problem stand for, by concept. ``classify`` scores a category from these concepts and
# where they stand relative to each other ("kartu … hilang" is a lost card, "nama … hilang … daftar" is not).
PROBLEM_CONCEPTS: dict[str, tuple[str, ...]] = {
    # the KKS card (not the family card, "kartu keluarga" / KK)
    "CARD": (
        "kartu", "kks", "atm", "kartu atm", "kartu kks", "kartu bansos", "kartu sembako", "kartu pkh",
        "kartu merah putih", "kartu bpnt", "kartu bri", "kartu bni", "kartu mandiri", "kartu bsi", "kartu debit",
        "kartu bantuan", "kartu keluarga sejahtera",
    ),
    "FAMILY_CARD": ("kk", "kartu keluarga", "ktp", "kartu tanda penduduk"),
    "LOST": (
        "hilang", "raib", "lenyap", "dicuri", "kecurian", "dicopet", "kecopetan", "copet", "jatuh", "terjatuh",
        "tercecer", "terbuang", "hanyut", "tidak ketemu", "tidak ditemukan", "lupa taruh", "lupa naruh",
        "lupa menaruh", "lupa simpan", "lupa menyimpan", "tidak tahu dimana", "entah dimana", "dimana ya",
        "ketinggalan", "terselip", "keselip", "dijambret", "kejambret", "tas dicuri", "dompet hilang",
    ),
    "DAMAGED": (
        "rusak", "patah", "retak", "bengkok", "tidak terbaca", "tidak bisa dibaca", "tidak kebaca", "tidak kebaca",
        "tidak dibaca", "tidak terdeteksi", "error", "eror", "chip", "chipnya", "tertelan", "tergores", "gores",
        "luntur", "pudar", "terbakar", "hangus", "kena air", "basah", "tercuci", "kecuci", "kelindes", "terlindas",
        "terlipat", "lecet", "pecah", "terbelah", "invalid", "tidak berfungsi", "mati", "kadaluarsa", "expired",
        "tidak bisa dipakai", "tidak bisa digunakan", "digigit", "dikunyah", "kegigit", "robek", "sobek",
    ),
    "SWALLOWED": ("tertelan", "tersangkut", "nyangkut", "ditahan mesin", "tidak keluar lagi", "tidak bisa keluar"),
    "MACHINE": ("mesin", "atm", "edc", "mesin atm", "mesin edc"),
    "PIN": ("pin", "kata sandi", "sandi", "password", "nomor pin", "kode pin", "no pin"),
    "BLOCKED": ("blokir", "terblokir", "terkunci", "kekunci", "dikunci", "kunci", "terblok"),
    "FORGOT": ("lupa", "tidak ingat", "kelupaan", "lali", "poho", "pikun"),
    "WRONG_PIN": ("salah pin", "pin salah", "salah masuk pin", "salah masukin pin", "salah ketik pin", "salah 3 kali", "salah tiga kali", "3 kali salah", "tiga kali salah"),
    "BALANCE": ("saldo", "isi", "isinya", "isi kartu", "rekening", "dana", "uang", "uangnya", "duit", "duitnya"),
    "EMPTY": (
        "kosong", "nol", "0", "rp 0", "rp0", "tidak ada isinya", "tidak ada isi", "tidak ada saldo", "tidak ada uang",
        "tidak ada uangnya", "tidak ada dananya", "habis", "tidak cukup", "kurang", "terpotong", "berkurang",
        "hilang", "raib", "tinggal", "sisa",
    ),
    "FAILED": (
        "gagal", "ditolak", "tidak bisa transaksi", "transaksi gagal", "gesek gagal", "gagal gesek", "tidak bisa gesek",
        "tidak bisa digesek", "tidak bisa dicairkan", "tidak bisa ditarik", "tidak bisa tarik", "tidak bisa belanja",
        "tidak bisa dibelanjakan", "tidak bisa dipakai belanja", "tidak bisa dipakai", "tidak bisa digunakan",
        "tidak bisa diambil", "tidak keluar", "tidak mau keluar", "tidak bisa cek", "transaksi ditolak",
        "tidak terproses", "pending", "struk gagal", "gagal transaksi", "saldo tidak cukup", "saldo tidak mencukupi",
    ),
    "TRANSACTION": ("transaksi", "gesek", "digesek", "belanja", "tarik", "ditarik", "cek saldo", "penarikan"),
    "NOT_YET": ("belum", "tidak", "tidak pernah", "belum pernah", "tidak juga", "belum juga", "kok tidak", "kok belum"),
    "ARRIVE": (
        "cair", "pencairan", "masuk", "turun", "dapat", "terima", "diterima", "menerima", "dibagi", "dibagikan",
        "keluar", "datang", "sampai", "nyampe", "kebagian", "disalurkan", "penyaluran", "dikasih", "diberikan",
        "diberi", "ditransfer", "transfer", "kirim", "dikirim", "ada kabar", "ada", "muncul", "diambil", "mendapat",
        "mendapatkan", "dapat lagi", "dapat bantuan", "menerima bantuan",
    ),
    "AID": (
        "pkh", "bpnt", "sembako", "bansos", "bantuan", "blt", "blt dd", "bltdd", "bst", "pip", "kip", "beras",
        "bantuan beras", "uang", "dana", "jatah", "program", "pencairan", "tahap", "triwulan", "periode",
    ),
    "PERIOD": (
        "bulan ini", "bulan kemarin", "bulan lalu", "tahap ini", "tahap", "periode ini", "triwulan", "tahun ini",
        "bulan", "minggu", "tahun", "lama", "sebulan", "semester", "kemarin", "lalu", "sejak",
    ),
    "NAME": ("nama", "namanya", "nama saya", "nama kami", "data", "datanya", "data saya", "nik", "nomor nik", "no nik", "no kk", "nomor kk"),
    "LIST": ("daftar", "terdaftar", "pendaftaran", "didata", "pendataan", "dtks", "siks", "siks ng", "sikng", "data", "list", "database", "sistem", "cek bansos", "web", "website", "aplikasi"),
    "REMOVED": (
        "dicoret", "tercoret", "coret", "dikeluarkan", "keluar dari", "dihapus", "terhapus", "hapus", "dicabut",
        "dihentikan", "diberhentikan", "diputus", "stop", "distop", "graduasi", "digraduasi", "dinonaktifkan",
        "nonaktif", "tidak aktif", "tidak terdaftar", "belum terdaftar", "tidak didata", "belum didata",
        "tidak masuk daftar", "tidak ada di daftar", "tidak ada dalam daftar", "tidak ada nama", "hilang dari daftar",
        "tidak muncul", "tidak ditemukan", "tidak lolos", "tidak terdata", "belum terdata", "diganti orang lain",
    ),
    "WRONG_DATA": (
        "salah", "salah ketik", "salah tulis", "keliru", "beda", "berbeda", "tidak sesuai", "tidak sama", "ganti nama",
        "ubah nama", "perbaiki", "perbaikan", "ganda", "dobel", "double", "tidak valid", "tidak padan", "padan",
        "ganti data", "ubah data", "pindah alamat", "alamat salah",
    ),
    "DEATH": (
        "meninggal", "meninggal dunia", "wafat", "almarhum", "almarhumah", "berpulang", "tutup usia", "mati",
        "sudah tiada", "telah tiada", "sudah tidak ada", "mendiang", "dipanggil yang maha kuasa", "seda", "pupus",
        "maot", "pupus",
    ),
    "SICK": (
        "sakit", "lansia", "jompo", "stroke", "lumpuh", "disabilitas", "difabel", "cacat", "buta", "tuli",
        "opname", "dirawat", "rawat inap", "rumah sakit", "rs", "odgj", "gangguan jiwa", "sakit jiwa", "depresi",
        "pikun", "tua", "sudah tua", "usia lanjut", "renta", "kursi roda", "terbaring", "tidak bisa bangun",
        "patah kaki", "patah tulang", "melahirkan", "operasi", "cuci darah", "kanker", "diabetes", "gula darah",
        "darah tinggi", "hipertensi", "jantung", "asma", "sesak", "demam", "lemah", "sepuh", "nenek", "kakek",
        "umur", "usia", "bedrest", "stroke ringan", "tbc", "lemas", "pincang", "amputasi", "hamil", "nifas",
        "isolasi", "puskesmas", "gering",
    ),
    "CANT_GO": (
        "tidak bisa ambil", "tidak bisa ke", "tidak bisa datang", "tidak bisa jalan", "tidak kuat jalan", "tidak kuat",
        "tidak sanggup", "tidak mampu jalan", "susah jalan", "sulit jalan", "tidak bisa keluar rumah",
        "tidak bisa keluar", "tidak bisa pergi", "tidak bisa berangkat", "tidak bisa mengambil", "tidak bisa antri",
        "tidak kuat antri", "tidak bisa antre", "tidak ada yang antar", "tidak ada yang mengantar", "jauh",
        "tidak bisa hadir", "tidak bisa kesana", "tidak bisa ke sana", "tidak bisa berdiri", "tidak bisa naik",
        "tidak bisa bawa", "tidak kuat bawa", "tidak kuat angkat", "di rumah saja", "hanya di rumah", "tidak bisa sendiri",
    ),
    "DELIVER": (
        "antar", "diantar", "diantarkan", "mengantar", "dianter", "anter", "anterin", "antarkan", "jemput", "dijemput",
        "wakilkan", "diwakilkan", "diwakili", "wakil", "titip", "dititipkan", "nitip", "dikirim ke rumah",
        "ke rumah", "dibawakan", "bawakan", "tolong ambilkan", "ambilkan", "diambilkan", "diambil orang lain",
        "diambil anak", "diambilkan anak", "pengantaran", "kirim ke rumah",
    ),
    "TAKE": ("ambil", "mengambil", "ke agen", "ke warung", "ke ewarong", "ke toko", "ke bank", "ke kantor", "ke balai", "antri", "antre", "datang", "belanja", "gesek", "pergi"),
    "SHOP": ("agen", "ewarong", "warung", "toko", "brilink", "agen brilink", "kios", "penyalur", "e warong", "e warung", "pemilik warung", "yang jual", "penjual", "pedagang", "supplier", "suplier", "pemasok"),
    "GOODS": (
        "beras", "telur", "minyak", "gula", "ayam", "daging", "kacang", "kacang hijau", "buah", "buahnya", "sayur",
        "sayuran", "ikan", "tempe", "susu", "sarden", "mie", "mi", "barang", "barangnya", "paket", "paketnya",
        "bahan", "sembako", "jeruk", "apel", "kentang", "wortel", "terigu", "tepung", "kedelai", "ikan kaleng",
        "ikan asin", "bawang", "pisang", "belanjaan", "komoditas",
    ),
    # the six T an e-Warong must keep
    "T_QUANTITY": (
        "kurang", "sedikit", "tidak cukup", "tidak lengkap", "timbangan", "ditimbang", "berat", "beratnya", "cuma",
        "hanya", "tidak sampai", "dikurangi", "berkurang", "dipotong", "susut", "harusnya", "seharusnya",
        "tidak sesuai jumlah", "jumlahnya", "jumlah", "tidak dapat telur", "tidak dikasih", "tidak diberi",
        "kilonya", "kg", "gram", "butir", "liter", "isi", "isinya",
    ),
    "T_PRICE": (
        "mahal", "harga", "harganya", "het", "kemahalan", "kemahalan", "lebih mahal", "bayar", "dibayar", "membayar",
        "tambah bayar", "bayar lagi", "dinaikkan", "naik", "dinaikan", "pasaran", "harga pasar", "selisih",
        "ribu", "rp", "rupiah", "uang tambahan", "nombok", "tombok", "disuruh bayar", "dimintai", "diminta uang",
    ),
    "T_QUALITY": (
        "busuk", "rusak", "jelek", "basi", "apek", "bau", "kutu", "ulat", "berulat", "kadaluarsa", "kedaluwarsa",
        "expired", "jamur", "berjamur", "hitam", "kuning", "pecah", "retak", "hancur", "remuk", "kotor", "batu",
        "kerikil", "menggumpal", "lembek", "keras", "tidak layak", "tidak layak makan", "kualitas", "mutu",
        "kualitasnya", "mutunya", "patah", "layu", "bususk", "bulukan", "buluk", "kropos", "keropos", "kusam",
        "bubuk", "menir", "pera", "bauk", "berbau", "tengik", "amis", "tidak segar", "tidak bagus", "jelek",
        "kecil kecil", "kecil", "pecah pecah", "kemasan rusak", "bocor",
    ),
    "T_TIMING": (
        "telat", "terlambat", "jadwal", "tidak sesuai jadwal", "tidak buka", "tutup", "ditunda", "diundur", "mundur",
        "molor", "lama", "nunggu", "menunggu", "disuruh nunggu", "disuruh menunggu", "disuruh datang lagi",
        "disuruh balik", "balik lagi", "besok lagi", "kembali lagi", "belum datang", "belum ada barang",
        "barang belum datang", "barangnya belum", "stok habis", "stok kosong", "barang kosong", "habis",
        "kehabisan", "sering tutup", "jam", "seharian", "berjam jam",
    ),
    "T_RECIPIENT": (
        "salah orang", "orang lain", "bukan penerima", "tidak tepat sasaran", "salah sasaran", "sasaran",
        "orang mampu", "yang mampu", "orang kaya", "keluarga agen", "saudara agen", "kerabat", "saudaranya",
        "keluarganya", "tetangga", "diambil orang", "dipakai orang", "bukan haknya", "tidak berhak", "pns",
        "punya mobil", "rumah bagus", "yang kaya",
    ),
    "T_RECORDS": (
        "struk", "catatan", "dicatat", "tidak dicatat", "bukti", "nota", "kwitansi", "kuitansi", "buku", "laporan",
        "tanda terima", "tidak ada struk", "tidak dikasih struk", "tidak diberi struk", "ditahan", "menahan",
        "dipegang", "disimpan agen", "kartu ditahan", "pin diminta", "minta pin", "dipaksa", "disuruh beli",
        "harus beli", "wajib beli", "paket", "dipaketkan", "tidak boleh pilih", "tidak bisa pilih", "dibundel",
        "diganti uang", "ditukar", "uang tunai", "administrasi",
    ),
    # a message that is not a problem: greetings, thanks, status and schedule questions
    "STATUS": (
        "status", "status laporan", "laporan saya", "cek laporan", "cek status", "perkembangan", "progres",
        "progress", "sudah sampai mana", "sampai mana", "bagaimana laporan", "tindak lanjut", "ditindaklanjuti",
        "nomor laporan", "tiket",
    ),
    "SCHEDULE": (
        "jadwal", "pertemuan", "p2k2", "kapan", "pukul", "jam berapa", "tanggal berapa", "hari apa", "kumpul",
        "rapat", "acara", "undangan", "agenda",
    ),
    "THANKS": (
        "terima kasih", "terimakasih", "makasih", "matur nuwun", "hatur nuhun", "alhamdulillah", "sudah beres",
        "sudah selesai", "sudah diterima", "sudah dapat", "sudah cair", "sudah masuk", "sudah bisa", "berhasil",
        "lancar", "aman", "sukses",
    ),
    "QUESTION": ("apa", "apakah", "bagaimana", "gimana", "kapan", "berapa", "dimana", "kenapa", "mengapa", "siapa", "bisa tidak", "boleh"),
    "PROBLEM_WORDS": ("masalah", "kendala", "keluhan", "mengeluh", "komplain", "lapor", "melapor", "melaporkan", "aduan", "mengadu", "tolong", "bantu"),
}
