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

# Emoji that are answers on their own: a thumbs-up is a yes.
EMOJI_WORDS = {"🙏": " terima kasih ", "👍": " oke ", "👌": " oke ", "✅": " oke ", "🆗": " oke ", "👎": " tidak ", "❌": " tidak "}

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
    "pengin": "mau", "tau": "tahu", "tw": "tahu", "ngerti": "tahu", "ntah": "entah", "ilang": "hilang", "ilng": "hilang",
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
NOT_YET = ("belum", "tidak acan", "acan", "not yet", "belum ada", "belum punya", "nanti dulu", "mungkin nanti", "later")
UNKNOWN = (
    "tidak tahu", "kurang tahu", "tidak tahu pak", "entah", "embuh", "gatau", "gktau", "gatw", "gataw", "gak tahu",
    "don t know", "dont know", "no idea", "i don t know", "i dont know", "i do not know", "idk", "not sure",
    "i m not sure", "im not sure",
)  # fmt: skip

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
# The words of a problem (read by ``classify``). Written in the standard form ``text.tokens`` gives (so
# "gak bisa" is written "tidak bisa"); phrases match as whole words. Indonesian, SMS spelling, Javanese,
# Sundanese and English, as households write (``docs/LANGUAGE.md``).

# Spelling variants, regional words and typos seen in problem reports, one word to the form the concepts
# below use. Kept apart from ``SHORTHAND`` so that short answers elsewhere read exactly as before.
PROBLEM_VARIANTS = {
    # lost
    "kehilangan": "hilang", "ilangan": "hilang", "hlng": "hilang", "ngilang": "hilang", "ical": "hilang",
    "leungit": "hilang", "kesingsal": "hilang", "kapendak": "ketemu", "ketemuan": "ketemu", "naro": "taruh",
    "naruh": "taruh", "kemalingan": "dicuri", "nyuri": "dicuri", "mencuri": "dicuri", "nyolong": "dicuri",
    "dicolong": "dicuri", "maling": "dicuri", "kecolongan": "dicuri", "kmn": "kemana",
    "kececer": "tercecer", "kecicir": "tercecer", "ketlisut": "terselip", "kemana2": "kemana", "stolen": "dicuri",
    "missing": "hilang", "kebawa": "terbawa", "kegawa": "terbawa",
    # damaged
    "rsk": "rusak", "rusk": "rusak", "ruksak": "rusak", "risak": "rusak", "nelen": "tertelan", "ketelen": "tertelan",
    "ketelan": "tertelan", "menelan": "tertelan", "nelan": "tertelan", "ditelan": "tertelan",
    "tertelen": "tertelan", "kemakan": "tertelan", "swallowed": "tertelan",
    "mlengkung": "melengkung", "bengkong": "bengkok", "keinjek": "terinjak", "kepotong": "terpotong",
    "kelipat": "terlipat", "diwoco": "dibaca", "diwaos": "dibaca", "kebaca": "terbaca", "kewaca": "terbaca",
    "bent": "bengkok", "broken": "rusak", "damaged": "rusak", "cracked": "retak",
    # the PIN
    "pinnya": "pin", "pinya": "pin", "pine": "pin", "keblokir": "terblokir", "keblokiran": "terblokir",
    "diblokir": "terblokir", "kblokir": "terblokir", "trblokir": "terblokir", "blocked": "terblokir",
    "bloked": "terblokir", "blokd": "terblokir", "diblok": "terblokir", "keblok": "terblokir", "block": "blokir",
    "kesupen": "lupa", "lali": "lupa", "poho": "lupa", "forgot": "lupa", "forget": "lupa", "inget": "ingat",
    # the balance
    "saldonya": "saldo", "slado": "saldo", "sldo": "saldo", "balance": "saldo", "ksong": "kosong", "kosng": "kosong",
    "dicek": "cek", "ngecek": "cek", "ngecheck": "cek", "check": "cek", "dicheck": "cek", "trx": "transaksi",
    "gesekan": "gesek", "nggesek": "gesek", "failed": "gagal", "declined": "ditolak", "rejected": "ditolak",
    "failing": "gagal", "fails": "gagal", "fail": "gagal",
    # aid not come
    "dibagiin": "dibagi", "dibagike": "dibagi", "msk": "masuk", "mlebu": "masuk", "lebet": "masuk", "asup": "masuk",
    "dtg": "datang", "dateng": "datang",
    "sampe": "sampai", "nyampe": "sampai", "nyampai": "sampai", "dibere": "diberi", "dipasihan": "diberi",
    "cairnya": "cair", "dicairkan": "cair", "cairkan": "cair", "pkhnya": "pkh", "bpntnya": "bpnt", "bnpt": "bpnt",
    "bansose": "bansos", "bansosnya": "bansos", "bantuane": "bantuan", "bantosan": "bantuan", "dapet": "dapat",
    "dpet": "dapat", "nampi": "terima", "nrimo": "terima", "sasi": "bulan", "wulan": "bulan",
    # the list and the data
    "nami": "nama", "namine": "nama", "daptar": "daftar", "dikaluarkeun": "dikeluarkan", "dikeluarin": "dikeluarkan",
    "dihapusin": "dihapus", "kehapus": "terhapus", "kecoret": "tercoret", "didaftarin": "didaftarkan",
    "daftarin": "daftarkan", "didaftar": "didaftarkan", "ngajuin": "mengajukan", "diajuin": "diajukan",
    "terdaptar": "terdaftar", "tedaftar": "terdaftar", "trdaftar": "terdaftar", "terdaftr": "terdaftar",
    "misspelled": "salah", "wrong": "salah", "name": "nama", "list": "daftar", "registered": "terdaftar",
    "removed": "dicoret", "diupdate": "diperbarui", "diapdet": "diperbarui",
    # death
    "meningal": "meninggal", "meniggal": "meninggal", "menninggal": "meninggal", "mninggal": "meninggal",
    "meninggl": "meninggal", "meinggal": "meninggal", "alm": "almarhum", "almh": "almarhumah",
    "ngantunkeun": "meninggal", "pejah": "meninggal", "died": "meninggal", "dead": "meninggal",
    "death": "meninggal", "wafatnya": "wafat",
    # sick, old, disabled
    "sakitsakitan": "sakit", "skt": "sakit", "sick": "sakit", "ill": "sakit", "disabled": "disabilitas",
    "elderly": "lansia", "setruk": "stroke", "strok": "stroke", "lemes": "lemas", "sepuh": "tua", "old": "tua",
    "ambilin": "ambilkan", "ngambil": "ambil", "ngambilnya": "ambil", "mengambil": "ambil", "ambilnya": "ambil",
    "njupuk": "ambil", "nyandak": "ambil", "dianter": "diantar", "anterin": "antar", "dianterin": "diantar",
    "terke": "antar", "diterke": "diantar", "ninggalin": "meninggalkan", "opnam": "opname", "diopname": "opname",
    "walk": "jalan", "gerah": "sakit", "mendhet": "ambil", "pendhet": "ambil", "grandmother": "nenek",
    "grandma": "nenek", "grandfather": "kakek", "grandpa": "kakek", "tiasa": "bisa", "saget": "bisa", "iso": "bisa",
    "isa": "bisa", "bisane": "bisa",
    # the e-Warong and what it sells
    "ewarung": "ewarong", "warong": "warung", "warungna": "warung", "agent": "agen", "agene": "agen",
    "shop": "warung", "store": "warung", "telor": "telur", "tlur": "telur", "tlr": "telur", "endog": "telur",
    "endoge": "telur", "eggs": "telur", "egg": "telur", "brs": "beras", "bras": "beras", "beas": "beras",
    "beasna": "beras", "berase": "beras", "rice": "beras", "oil": "minyak", "sugar": "gula", "chicken": "ayam",
    "ijo": "hijau", "mahel": "mahal", "mhl": "mahal", "kemahalan": "mahal", "larang": "mahal", "awis": "mahal",
    "expensive": "mahal", "mahalin": "mahal", "dimahalin": "mahal", "price": "harga", "rega": "harga",
    "regane": "harga", "regine": "harga", "dihargain": "harga", "dihargai": "harga", "naikin": "dinaikkan",
    "busug": "busuk", "bosok": "busuk", "rotten": "busuk", "apak": "apek", "berkutu": "kutu", "kutuan": "kutu",
    "ulatnya": "ulat", "seger": "segar", "item": "hitam", "krg": "kurang", "kurangin": "dikurangi",
    "dikurangin": "dikurangi", "nimbang": "timbang", "ditimbang": "timbang", "timbangannya": "timbangan",
    "nyatet": "catat", "nyatat": "catat", "dicatet": "dicatat", "mencatat": "catat", "receipt": "struk",
    "maksa": "paksa", "dipaksa": "paksa", "memaksa": "paksa", "wajibin": "wajib", "diwajibkan": "wajib",
    "forces": "paksa", "forced": "paksa", "package": "paket", "dimarahin": "dimarahi", "nahan": "menahan",
    "nyimpen": "disimpan", "disimpen": "disimpan", "megang": "dipegang",
    "dipegangin": "dipegang", "dibalikin": "dikembalikan",
    "ngasih": "kasih", "ngasi": "kasih", "ngasihin": "kasih", "dikasi": "dikasih",
    # something else
    "kebanjiran": "banjir", "kabanjiran": "banjir", "flooded": "banjir", "flood": "banjir", "kebakaran": "kebakar",
    "terbakarnya": "kebakar", "longsoran": "longsor", "digusur": "gusur", "pinjol": "pinjaman", "ditipu": "tipu",
    "penipuan": "tipu", "nipu": "tipu", "dipenjara": "penjara", "motong": "memotong", "dipotongin": "dipotong",
    "ngaku": "mengaku", "nganggur": "menganggur", "phk": "phk",
    # everyday
    "brp": "berapa", "brapa": "berapa",
    "tp": "tapi", "tpi": "tapi", "tetapi": "tapi", "pdhl": "padahal", "pdahal": "padahal", "dipake": "dipakai",
    "pake": "pakai", "kyknya": "kayaknya", "kayanya": "kayaknya", "bgt": "banget", "bngt": "banget",
    "aya": "ada", "wonten": "ada", "ono": "ada", "mboten": "tidak", "acan": "belum", "dereng": "belum",
    "gk": "tidak", "g": "tidak", "gak": "tidak", "hasn": "tidak", "haven": "tidak", "didn": "tidak", "isn": "tidak",
    "doesn": "tidak", "can": "bisa", "cannot": "tidak bisa", "not": "tidak", "never": "tidak pernah",
    "lost": "hilang", "card": "kartu", "gone": "hilang", "ate": "tertelan", "eats": "tertelan", "eaten": "tertelan",
    "distributed": "dibagikan", "late": "telat", "delayed": "telat", "register": "mendaftar", "enrol": "mendaftar",
    "paralyzed": "lumpuh", "paralysed": "lumpuh", "deliver": "antar", "delivered": "diantar", "hospital": "rumah sakit",
    "hospitalized": "opname", "less": "kurang", "closed": "tutup", "relatives": "kerabat", "relative": "kerabat",
    "gives": "kasih", "give": "kasih", "bugs": "kutu", "insects": "kutu", "weevils": "kutu", "eat": "makan",
    "unable": "tidak bisa", "kadaftar": "terdaftar", "kadata": "terdata", "cheated": "curang", "expired": "kadaluarsa",
    "stale": "apek", "spoiled": "busuk", "broke": "rusak", "aid": "bantuan", "money": "uang", "zero": "nol",
    "empty": "kosong", "schedule": "jadwal",
    "changed": "diubah", "bedridden": "terbaring", "jeneng": "nama", "asmane": "nama", "smell": "bau",
    "smells": "bau", "smelly": "bau",
    "moldy": "berjamur", "mouldy": "berjamur", "worms": "ulat", "disability": "disabilitas",
    "blind": "buta", "wheelchair": "kursi roda", "pregnant": "hamil", "widow": "janda", "kertu": "kartu",
    "kertune": "kartu", "kartunipun": "kartu",
    "kartune": "kartu", "kartuna": "kartu", "kartuku": "kartu",
    # aid not come, in Javanese, Sundanese and English
    "mlebet": "masuk", "dibagikeun": "dibagikan", "nerima": "terima", "ketunda": "ditunda", "credited": "masuk",
    "payment": "pencairan", "tanggi": "tetangga", "ayeuna": "sekarang",
    # the list and the data
    "ketuker": "tertukar", "dropped": "dicoret", "didaftarkeun": "didaftarkan", "hoyong": "mau",
    # death (Javanese krama, Sundanese)
    "sedo": "seda", "kapundhut": "meninggal", "maot": "meninggal",
    # the card damaged, lost
    "peupeus": "rusak", "stuck": "tersangkut", "ketekuk": "terlipat", "kerendem": "terendam",
    "kakeueum": "terendam", "kelem": "terendam", "hilap": "lupa", "kepanggih": "ketemu",
    # sick, old, cannot go, bring it home
    "loro": "sakit", "udur": "sakit", "sakitan": "sakit", "lahiran": "melahirkan", "isoman": "isolasi",
    "weak": "lemas", "dementia": "demensia", "uzur": "tua", "udzur": "tua", "tuwo": "tua", "manula": "lansia",
    "hospitalised": "opname", "rs": "rumah sakit", "rsud": "rumah sakit",
    "leumpang": "jalan", "mlampah": "jalan", "mlaku": "jalan", "jln": "jalan", "kiat": "kuat", "saged": "bisa",
    "ra": "tidak", "kamana": "kemana", "medal": "keluar", "kaluar": "keluar", "travel": "pergi",
    "leave": "meninggalkan",
    "queue": "antri", "stairs": "tangga", "griya": "rumah", "imah": "rumah", "omah": "rumah",
    "ngantar": "mengantar", "nganter": "mengantar", "ngantarin": "mengantar", "anter": "antar",
    "ngeterke": "antar", "dianteurkeun": "diantar", "dianteur": "diantar", "nganteurkeun": "antar",
    "dititip": "dititipkan", "nitipin": "titip", "dititipin": "dititipkan", "collect": "ambil", "bring": "bawakan",
    "ngambilin": "ambilkan", "ngambilkan": "ambilkan", "nungguin": "menunggui", "nobody": "tidak ada yang",
    "listed": "terdaftar",
}  # fmt: skip

# Phrases read as one word before anything else: "atas nama" is not a name problem, "kartu keluarga" is
# not the KKS card.
PROBLEM_PHRASES = {
    "atas nama": "atasnama", "a n": "atasnama", "kartu keluarga sejahtera": "kks", "kartu keluarga": "kk",
    "kartu tanda penduduk": "ktp", "id card": "ktp", "kartu bpjs": "bpjs", "kartu kis": "kis",
    "kartu indonesia sehat": "kis", "kartu indonesia pintar": "kip", "kartu kip": "kip",
    "kartu pelajar": "kartupelajar",
    "kartu nikah": "bukunikah", "kartu tani": "kartutani", "kartu prakerja": "prakerja", "kartu kuning": "kartukuning",
    "kartu berobat": "kartuberobat", "kartu vaksin": "kartuvaksin", "e warong": "ewarong", "e warung": "ewarong",
    "pick up": "ambil", "couldn t": "tidak bisa", "won t": "tidak", "wasn t": "tidak", "aren t": "tidak",
    "can t find": "hilang", "cannot find": "hilang", "too old": "tua", "makan kartu": "tertelan",
    "hasn t": "tidak", "haven t": "tidak", "didn t": "tidak", "doesn t": "tidak", "can t": "tidak bisa",
    "isn t": "tidak", "not yet": "belum", "has not": "tidak", "have not": "tidak", "someone else": "orang lain",
    "passed away": "meninggal", "tos pupus": "meninggal", "sampun seda": "meninggal", "tilar dunia": "meninggal",
    "sampun tilar": "meninggal", "teu acan": "belum", "tidak acan": "belum", "dipun terke": "diantar",
    "tilar donya": "meninggal", "sudah ninggal": "meninggal", "ninggal donya": "meninggal",
    "dimakan mesin": "tertelan mesin", "dimakan atm": "tertelan atm", "haven t got": "belum dapat",
    "hasn t got": "belum dapat", "have not got": "belum dapat", "still no": "belum ada", "no aid": "belum ada bantuan",
    "no pkh": "belum ada pkh", "no sembako": "belum ada sembako", "no bansos": "belum ada bansos",
    "no rice": "belum ada beras", "no blt": "belum ada blt", "no bpnt": "belum ada bpnt", "get listed": "didaftarkan",
    "in hospital": "opname", "in bed": "terbaring", "too weak": "tidak kuat", "too far": "jauh",
    "who can": "siapa yang bisa", "dokter larang": "dokter melarang", "lumpuh layu": "lumpuh",
    "asked for money": "minta uang", "insufficient balance": "saldo tidak cukup", "dropped out": "putus",
    "titip salam": "titipsalam",
}  # fmt: skip

# What the words of a problem stand for, by concept. ``classify`` scores a category from these concepts and
# where they stand relative to each other ("kartu … hilang" is a lost card, "nama … hilang … daftar" is not).
PROBLEM_CONCEPTS: dict[str, tuple[str, ...]] = {
    # -- the card
    "CARD": (
        "kartu", "kks", "atm", "kartu atm", "kartu kks", "kartu bansos", "kartu sembako", "kartu pkh",
        "kartu merah putih", "kartu bpnt", "kartu bri", "kartu bni", "kartu mandiri", "kartu bsi", "kartu debit",
        "kartu bantuan", "chip", "cip",
    ),
    "ID_PAPER": (
        "kk", "ktp", "akta", "akte", "ijazah", "surat nikah", "buku nikah", "bukunikah", "e ktp", "ktp elektronik",
        "bpjs", "kis", "kip", "kartupelajar", "kartutani", "prakerja", "kartukuning", "kartuberobat", "kartuvaksin",
        "sertifikat", "bpkb", "stnk", "sim", "paspor",
    ),
    "THING": (
        "hp", "handphone", "ponsel", "motor", "sepeda", "emas", "perhiasan", "ternak", "kambing", "sapi", "ayam ternak",
        "tabung gas", "laptop", "phone", "email", "akun", "facebook", "wa", "whatsapp", "instagram",
    ),
    "OFFICIAL": (
        "ketua", "ketua kelompok", "ketua rt", "ketua rw", "pendamping", "rt", "rw", "kades", "kepala desa", "lurah",
        "perangkat desa", "aparat", "petugas", "operator", "kadus", "pak rt", "pak rw", "oknum", "camat", "kecamatan",
        "dinsos", "kepala dusun", "perangkat", "pihak desa", "village head", "pegawai",
    ),
    "HELD": (
        "ditahan", "menahan", "dipegang", "disimpan", "diambil", "dibawa", "dikuasai", "keeps kartu",
        "keeping kartu", "kept",
        "holds kartu", "tidak dikembalikan", "tidak dibalikin",
    ),
    "WALLET": ("dompet", "tas"),
    "LOST": (
        "hilang", "terbawa", "dibawa kabur", "dibawa lari", "dilarikan", "diambil orang", "tertinggal", "raib",
        "lenyap", "dicuri", "kecurian", "dicopet", "kecopetan", "copet", "jatuh", "terjatuh",
        "tercecer", "terbuang", "hanyut", "tidak ketemu", "tidak ditemukan", "lupa taruh", "lupa menaruh",
        "lupa simpan", "lupa menyimpan", "ketinggalan", "terselip", "keselip", "dijambret", "kejambret",
        "belum ketemu",
    ),
    "LOST_SOFT": (
        "tidak ada", "tidak tahu kemana", "entah kemana", "tidak tahu dimana", "entah dimana", "dicari", "sudah dicari",
        "tidak ketemu", "hilang",
    ),
    "DAMAGED": (
        "rusak", "patah", "retak", "bengkok", "melengkung", "error", "eror", "tergores", "gores", "luntur", "pudar",
        "terbakar", "hangus", "gosong", "kena air", "basah", "tercuci", "kecuci", "kelindes", "terlindas", "terinjak",
        "tergilas", "kegilas", "keinjak", "kelindas", "terlipat", "lecet", "pecah", "terbelah", "terpotong", "potong",
        "gunting", "digunting", "tidak berfungsi", "hancur", "digigit", "digigitin", "dikunyah", "kegigit", "robek",
        "sobek", "aus", "berkarat", "karat", "terkelupas", "mengelupas", "copot", "kepanasan", "meleleh", "magnet",
        "magnetnya", "fisik", "fisiknya", "tidak bisa dibaca", "tidak terbaca", "tidak bisa masuk", "tidak work",
        "tidak works", "terendam", "kebakar", "penyok", "peot", "tertekuk", "kerendam",
    ),
    "UNREADABLE": (
        "tidak terbaca", "tidak bisa dibaca", "tidak dibaca", "tidak terdeteksi", "tidak kedeteksi",
        "tidak bisa terbaca", "tidak membaca", "tidak bisa baca", "tidak mau baca", "tidak bisa read",
        "tidak bisa masuk mesin", "tidak bisa masuk ke mesin",
    ),
    "SWALLOWED": (
        "tertelan", "tersangkut", "nyangkut", "ditahan mesin", "tertahan di mesin", "tidak keluar lagi",
        "tidak dikeluarkan", "tidak ngeluarin",
    ),
    "MACHINE": ("mesin", "atm", "edc", "mesin atm", "mesin edc"),
    # -- the PIN
    "PIN_FINE": ("pin benar", "pin oke", "pin sudah benar", "pin tidak salah", "pin aman", "pin betul"),
    "PIN": ("pin", "kata sandi", "password", "nomor pin", "kode pin", "no pin", "nomor rahasia"),
    "BLOCKED": ("blokir", "terblokir", "terkunci", "kekunci", "dikunci", "terblok"),
    "FORGOT": ("lupa", "tidak ingat", "kelupaan", "pikun"),
    "WRONG_PIN": (
        "salah pin", "pin salah", "salah masuk pin", "salah masukin pin", "salah memasukkan", "salah ketik pin",
        "salah pencet", "salah 3 kali", "salah tiga kali", "3 kali salah", "tiga kali salah", "3 x salah",
        "salah 3 x", "wrong pin",
    ),
    # -- the balance
    "BALANCE": ("saldo", "isi kartu", "isinya", "rekening", "isi", "uang di kartu", "dana di kartu"),
    "MONEY_WORD": ("uang", "duit", "dana", "uangnya", "dananya"),
    "EMPTY": (
        "kosong", "nol", "0", "rp 0", "rp0", "tidak ada isinya", "tidak ada isi", "tidak ada saldo", "tidak ada uang",
        "tidak ada", "habis", "terpotong", "berkurang", "hilang", "raib", "tidak cukup",
        "tidak mencukupi", "melompong", "shows 0",
    ),
    "EMPTY_WORD": ("kosong", "nol", "melompong", "rp0", "rp 0"),
    "CHECK": ("cek", "gesek", "digesek", "dilihat", "lihat"),
    "FAILED": (
        "gagal", "ditolak", "tidak bisa transaksi", "transaksi gagal", "gesek gagal", "gagal gesek", "tidak bisa gesek",
        "tidak bisa digesek", "tidak bisa dicairkan", "tidak bisa ditarik", "tidak bisa tarik", "tidak bisa belanja",
        "tidak bisa dibelanjakan", "tidak bisa dipakai belanja", "tidak bisa dipakai", "tidak bisa digunakan",
        "tidak mau keluar", "transaksi ditolak", "tidak terproses", "pending", "saldo tidak cukup",
        "saldo tidak mencukupi", "tidak bisa dipakai transaksi",
    ),
    "TRANSACTION": ("transaksi", "gesek", "digesek", "tarik tunai", "ditarik", "penarikan"),
    # -- aid that has not come
    "NOT_YET": ("belum", "tidak", "tidak pernah", "belum pernah", "tidak juga", "belum juga", "kok belum", "kok tidak"),
    "ARRIVE": (
        "cair", "pencairan", "masuk", "turun", "dapat", "terima", "diterima", "menerima", "dibagi", "dibagikan",
        "keluar", "datang", "sampai", "kebagian", "disalurkan", "penyaluran", "dikasih", "diberikan", "diberi",
        "ditransfer", "transfer", "dikirim", "ada kabar", "muncul", "mendapat", "mendapatkan", "dibayar", "dibayarkan",
        "paid", "come", "arrived", "received", "receive", "nyair", "diisi", "terisi", "diisikan",
    ),
    "AID": (
        "pkh", "bpnt", "sembako", "bansos", "bantuan", "blt", "blt dd", "bltdd", "bst", "pip", "kip", "beras",
        "bantuan beras", "dana", "jatah", "pencairan", "tahap", "triwulan", "periode", "bulog",
    ),
    "PERIOD": (
        "bulan ini", "bulan kemarin", "bulan lalu", "tahap ini", "tahap", "periode ini", "triwulan", "tahun ini",
        "bulan", "minggu", "tahun", "sebulan", "semester", "sejak", "lama", "sampai sekarang", "this month",
        "this stage", "month",
    ),
    "LATE_WORD": (
        "telat", "terlambat", "molor", "lama", "ditunda", "tertunda", "diundur", "sudah lewat", "lewat dari biasanya",
        "lewat jadwal", "lewat tanggal",
    ),
    # -- the list and the data
    "NAME": ("nama", "nama saya", "nama kami", "data", "data saya", "nik", "nomor nik", "no nik", "namanya", "datanya"),
    "IDENTITY": (
        "nama", "data", "nik", "no kk", "nomor kk", "kk", "ktp", "tanggal lahir", "tgl lahir", "tempat lahir", "alamat",
        "umur", "usia", "jenis kelamin", "namanya", "datanya",
    ),
    "LIST": (
        "daftar", "terdaftar", "pendaftaran", "didata", "pendataan", "dtks", "siks", "siks ng", "sikng", "database",
        "cek bansos", "penerima", "data bansos", "komponen", "web",
    ),
    "LISTED": (
        "masuk kk", "terdaftar", "didata", "terdata", "tercantum", "masuk daftar", "masuk dtks", "masuk data",
        "masuk list", "masuk komponen", "diusulkan", "dapat undangan",
    ),
    "SHOWN": ("muncul", "keluar", "tampil", "terlihat", "kelihatan", "terbaca"),
    "REMOVED": (
        "dicoret", "tercoret", "dikeluarkan", "dihapus", "terhapus", "dicabut", "dihentikan", "diberhentikan", "distop",
        "graduasi", "digraduasi", "dinonaktifkan", "nonaktif", "tidak aktif", "tidak terdaftar", "belum terdaftar",
        "tidak didata", "belum didata", "tidak masuk daftar", "tidak ada di daftar", "tidak ada dalam daftar",
        "hilang dari daftar", "tidak terdata", "belum terdata", "keluar dari daftar", "tidak tercantum", "tidak lolos",
        "tidak masuk dtks", "tidak masuk data", "tidak masuk list", "tidak masuk komponen", "belum masuk dtks",
        "tidak terdapat", "bukan peserta", "tidak terdaftar lagi", "tidak ada di data",
    ),
    "REGISTER": (
        "didaftarkan", "daftarkan", "mendaftar", "mendaftarkan", "masuk daftar", "mengajukan", "diajukan", "pengajuan",
        "diusulkan", "usulkan", "mohon didata", "minta didata", "ingin didata", "mau didata", "daftar bansos",
        "daftar pkh", "mau terdaftar", "ingin terdaftar", "supaya terdaftar", "biar terdaftar", "agar terdaftar",
    ),
    "WRONG_DATA": (
        "salah", "salah ketik", "salah tulis", "keliru", "beda", "berbeda", "tidak sesuai", "tidak sama", "ganti nama",
        "ubah nama", "perbaiki", "perbaikan", "ganda", "dobel", "double", "tidak valid", "tidak padan", "ganti data",
        "ubah data", "diperbarui", "kurang satu huruf", "kurang huruf", "harusnya", "seharusnya", "lama",
        "belum diperbarui", "tidak diperbarui", "tertukar", "ketukar",
    ),
    "MOVED": (
        "pindah alamat", "pindah rumah", "pindah domisili", "alamat lama", "alamat baru", "ganti alamat", "ganti kk",
        "kk baru", "pecah kk", "baru lahir", "tambah anggota", "anggota baru", "anggota keluarga baru",
    ),
    # -- a death
    "DEATH": (
        "meninggal", "meninggal dunia", "wafat", "almarhum", "almarhumah", "berpulang", "tutup usia", "sudah tiada",
        "telah tiada", "mendiang", "dipanggil yang maha kuasa", "kematian", "surat kematian", "innalillahi",
        "innalilahi", "seda", "pupus", "tilar donya", "kapundhut", "ninggal dunia",
    ),
    "DEATH_SOFT": ("mati", "sudah tidak ada", "sudah meninggalkan kami", "is gone"),
    # the person says they are alive: a data mistake, not a death
    "ALIVE": (
        "saya masih hidup", "saya masih sehat", "padahal masih hidup", "padahal masih sehat", "padahal saya masih",
        "still alive", "i am alive", "saya hidup",
    ),
    "PERSON": (
        "suami", "istri", "ibu", "bapak", "ayah", "mama", "mamah", "mamak", "emak", "mak", "nenek", "kakek", "mertua",
        "orang tua", "ortu", "anak", "penerima", "kepala keluarga", "mbah", "simbah", "abah", "umi", "papa", "bapa",
        "eyang", "adik", "kakak", "paman", "bibi", "beliau", "pemilik kartu", "yang punya kartu", "kpm", "pemegang",
        "pemegang kks", "recipient", "mother", "father", "grandma", "grandfather", "grandmother", "husband", "wife",
        "owner", "indung", "dia",
    ),
    # -- sick, old or disabled
    "SICK": (
        "sakit", "stroke", "lumpuh", "disabilitas", "difabel", "cacat", "buta", "tuna netra", "tunanetra", "tuli",
        "opname", "dirawat", "rawat inap", "rumah sakit", "odgj", "gangguan jiwa", "sakit jiwa", "pikun", "kursi roda",
        "terbaring", "tidak bisa bangun", "patah kaki", "patah tulang", "melahirkan", "caesar", "sesar", "operasi",
        "cuci darah", "kanker", "kemo", "kemoterapi", "darah tinggi", "hipertensi", "jantung", "asma", "sesak",
        "bedrest", "tbc", "pincang", "amputasi", "nifas", "gering", "kena struk", "sakit struk", "lemas", "luka",
        "lutut", "kaki", "sakit keras", "sakit parah", "keur gering", "digendong", "demam", "panas tinggi",
        "sakit panas", "covid", "isolasi", "hamil tua", "hamil besar", "mau melahirkan", "tuna daksa", "tunadaksa",
        "netra", "tongkat", "pakai tongkat", "ginjal", "gagal ginjal", "diabetes", "sakit gula", "asam urat", "rematik",
        "bengkak", "katarak", "parkinson", "sesak napas", "sesak nafas", "tidak enak badan", "kurang sehat",
        "tidak sehat", "drop", "ngedrop", "tiduran", "cuma bisa tiduran", "jatuh di kamar mandi", "vertigo",
        "usus buntu", "cerebral palsy", "autis", "down syndrome", "lemah", "ringkih", "sakit sakitan", "sakit tua",
        "tidak bisa melihat", "tidak bisa lihat", "rabun", "koma", "icu", "infus", "kecelakaan", "gips",
        "pendengaran kurang", "penglihatan kurang", "pendengaran", "penglihatan", "pasca operasi", "demensia",
        "alzheimer", "kejang", "kambuh", "epilepsi", "ayan", "tidak damang", "walker", "lagi hamil", "sedang hamil",
        "hamil xnum", "berbaring", "ranjang", "pendarahan",
    ),
    "OLD": (
        "lansia", "tua", "sudah tua", "usia lanjut", "renta", "jompo", "nenek", "kakek", "mbah", "janda lansia", "thn",
        "tahun", "lanjut usia", "sudah berumur", "umur", "usia", "tua renta", "sudah sepuh",
    ),
    "CANT_GO": (
        "tidak bisa ambil", "tidak bisa ke", "tidak bisa datang", "tidak bisa jalan", "tidak kuat jalan",
        "tidak sanggup", "tidak mampu jalan", "susah jalan", "sulit jalan", "tidak bisa keluar rumah",
        "tidak bisa pergi", "tidak bisa berangkat", "tidak bisa antri", "tidak kuat antri", "tidak bisa antre",
        "tidak ada yang antar", "tidak ada yang mengantar", "tidak ada yang ambilkan", "tidak ada yang bisa ambilkan",
        "tidak bisa hadir", "tidak bisa ke sana", "tidak bisa berdiri", "tidak kuat ke", "tidak kuat datang",
        "tidak bisa bawa", "tidak kuat bawa", "tidak kuat angkat", "tidak bisa sendiri", "tidak kuat pergi",
        "tidak bisa meninggalkan", "tidak keluar rumah", "tidak bisa naik", "belum bisa diambil", "tidak bisa go",
        "tidak bisa jalan ke", "tidak bisa diambil sendiri", "hanya di rumah", "tidak kuat", "siapa yang bisa ambilkan",
        "siapa yang ambil", "bagaimana ambil", "bagaimana ambilnya", "tidak bisa keluar", "tidak boleh keluar",
        "dilarang keluar", "tidak bisa bangun", "tidak bisa kemana", "tidak bisa kemana mana", "tidak ada yang ambil",
        "tidak ada yang bisa ambil", "tidak ada yang bisa antar", "tidak ada yang bisa mengantar",
        "tidak ada yang jemput", "tidak ada kendaraan", "tidak punya kendaraan", "tidak punya motor", "tidak ada motor",
        "tidak bisa menyetir", "siapa yang bisa ambil", "siapa yang bisa antar", "siapa yang mau ambil",
        "tidak mungkin antri", "tidak mungkin ke", "tidak bisa duduk", "harus digendong", "harus dituntun", "dituntun",
        "tidak ada yang menuntun", "tidak bisa ditinggal", "tidak bisa jalan jauh", "tidak boleh jalan jauh",
        "tidak boleh capek", "tidak ada yang bisa anter", "siapa saja yang bisa", "tidak bisa dilepas",
        "tidak berani meninggalkan", "tidak bisa angkat", "dilarang naik motor", "tidak boleh naik motor", "melarang",
        "tidak bisa turun dari", "tidak larat", "tidak larat jalan", "hanya bisa berbaring", "tidak bisa gerak",
        "tidak bisa bergerak", "menunggui", "jaga", "menjaga", "harus jaga", "harus menjaga",
    ),
    "ALONE": (
        "tinggal sendiri", "tinggal sendirian", "sendirian", "hidup sendiri", "sebatang kara", "lives alone",
        "live alone",
    ),
    "FAR": (
        "jauh", "jauh sekali", "terlalu jauh", "far", "jarak", "di atas bukit", "lantai 2", "lantai dua", "lantai atas",
        "tangga", "naik tangga", "km",
    ),
    # what the sick or old person would go to fetch
    "COLLECT": (
        "sembako", "beras", "bansos", "bantuan", "bantuan beras", "jatah", "bpnt", "pkh", "telur", "barang",
        "belanjaan", "kartu", "food aid", "rice",
    ),
    "DELIVER": (
        "antar", "diantar", "diantarkan", "mengantar", "antarkan", "jemput", "dijemput", "wakilkan", "diwakilkan",
        "diwakili", "titip", "dititipkan", "nitip", "dikirim ke rumah", "dibawakan", "bawakan", "ambilkan",
        "diambilkan", "pengantaran", "kirim ke rumah", "antar ke rumah", "diantar ke rumah", "delivered", "kirimkan",
        "dikirimkan", "bisa dikirim", "titipkan", "boleh saya ambil", "boleh saya bawa", "dibawa tetangga",
        "lewat tetangga", "perwakilan", "wakil", "dibawa ke rumah", "bawa ke rumah", "dibawakan ke rumah",
    ),
    # "boleh saya yang ambil?", "bisa adik saya yang belanja?": someone else collects
    "ASK_LEAVE": ("boleh", "bisa", "bisakah", "bolehkah", "apa boleh", "apa bisa", "apakah boleh", "apakah bisa"),
    "TAKE": (
        "ambil", "diambil", "ke agen", "ke warung", "ke ewarong", "ke toko", "ke tempat", "antri", "antre",
        "ke tempat pembagian", "gesek kartu", "ke bank", "belanja", "go", "ambil beras", "ambil sembako",
        "ambil bansos", "ke kedai",
    ),
    # -- the e-Warong
    "SHOP": (
        "agen", "ewarong", "warung", "toko", "brilink", "agen brilink", "kios", "penyalur", "pemilik warung", "penjual",
        "pedagang", "supplier", "suplier", "pemasok", "agennya", "kedai",
    ),
    "GOODS": (
        "beras", "telur", "minyak", "minyak goreng", "gula", "ayam", "daging", "kacang", "kacang hijau", "buah",
        "sayur", "sayuran", "ikan", "tempe", "susu", "sarden", "mie", "barang", "paket", "bahan", "jeruk", "apel",
        "kentang", "wortel", "terigu", "tepung", "kedelai", "ikan kaleng", "ikan asin", "bawang", "pisang",
        "belanjaan", "komoditas", "jatah", "sembako",
    ),
    "UNIT": ("kg", "kilo", "gram", "ons", "butir", "liter", "setengah", "sekilo", "seliter", "karung", "pcs", "biji"),
    "QUANTITY": (
        "kurang", "sedikit", "tidak cukup", "tidak lengkap", "timbangan", "timbang", "dikurangi", "berkurang",
        "susut", "tidak sesuai jumlah", "jumlahnya kurang", "tidak pas", "kurang timbangan", "short", "tidak sampai",
    ),
    "QUANTITY_SOFT": ("cuma", "hanya", "harusnya", "seharusnya", "biasanya", "mestinya", "dari", "dapat"),
    "PRICE_WORD": (
        "mahal", "harga", "het", "lebih mahal", "tambah bayar", "bayar lagi", "dinaikkan", "dinaikan", "harga naik",
        "naik harga", "nombok", "tombok", "disuruh bayar", "harus bayar", "bayar tambahan", "uang tambahan",
        "biaya tambahan", "tambahan biaya", "tambah uang", "mark up", "markup",
        "di atas het", "lebih mahal dari pasar",
    ),
    "MARKET": ("pasar", "warung biasa", "toko lain", "di luar", "harga pasar", "market"),
    "QUALITY": (
        "busuk", "rusak", "jelek", "basi", "apek", "bau", "kutu", "ulat", "berulat", "kadaluarsa", "kedaluwarsa",
        "expired", "jamur", "berjamur", "menghitam", "hitam", "kuning", "pecah", "retak", "hancur", "remuk", "kotor",
        "batu", "kerikil", "menggumpal", "lembek", "tidak layak", "tidak layak makan", "kualitas", "mutu",
        "layu", "bulukan", "buluk", "keropos", "kusam", "menir", "berbau", "tengik", "amis", "tidak segar",
        "tidak bagus", "pecah pecah", "bocor", "patah", "moldy", "smelly", "stale",
    ),
    "SMALL": ("kecil", "kecil kecil", "mini", "kurus"),
    "LATE": (
        "telat", "terlambat", "tidak sesuai jadwal", "tidak buka", "tutup", "ditunda", "diundur", "molor",
        "disuruh menunggu", "disuruh datang lagi", "disuruh balik", "disuruh kembali", "stok habis", "stok kosong",
        "barang kosong", "kehabisan", "sering tutup", "berjam jam", "lama sekali", "terlalu lama", "baru buka",
        "buka sejam", "tidak ada di tempat", "nunggu", "menunggu", "balik besok", "ganti jadwal", "telat buka",
        "jadwal diubah", "jadwal berubah", "ubah jadwal", "pindah jadwal", "jadwal diganti",
    ),
    "OTHERS": (
        "orang lain", "tetangga", "keluarganya", "keluarganya sendiri", "saudaranya", "kerabat", "kerabatnya",
        "saudara agen", "keluarga agen", "anaknya", "temannya", "orang mampu", "orang kaya", "yang mampu",
    ),
    "GIVE": (
        "memberi", "memberikan", "membagi", "membagikan", "kasih", "dikasih", "diberikan", "diberi", "dibagi",
        "bagi", "dibagikan", "diambil", "dijual", "gave", "given", "ngebolehin",
    ),
    "RECIPIENT": (
        "salah orang", "bukan penerima", "tidak tepat sasaran", "salah sasaran", "bukan haknya", "tidak berhak",
        "diambil orang lain", "dipakai orang lain",
    ),
    "RECORDS": (
        "struk", "catatan", "dicatat", "catat", "tidak dicatat", "bukti", "bukti transaksi", "nota", "kwitansi",
        "kuitansi", "tanda terima",
    ),
    "SHOP_PROBLEM": (
        "paksa", "wajib", "disuruh beli", "harus beli", "wajib beli", "paket", "dipaketkan", "tidak boleh pilih",
        "tidak bisa pilih", "tidak boleh beli", "dibundel", "curang", "nakal", "tidak benar", "ditegur",
        "semena mena", "seenaknya", "pungut",
    ),
    "RUDE": (
        "dimarahi", "kasar", "galak", "judes", "jutek", "membentak", "dibentak", "marah", "tidak sopan", "sombong",
        "rude", "angry", "memaki", "dimaki", "mengusir", "diusir", "menghina", "dihina",
    ),
    # -- something else: hardship the nine do not cover
    "HARDSHIP": (
        "banjir", "rob", "longsor", "kebakar", "gempa", "puting beliung", "angin", "roboh", "ambruk", "atap", "gubuk",
        "gusur", "diusir", "kontrakan", "cicilan", "hutang", "utang", "pinjaman", "disita", "tipu", "kena tipu", "phk",
        "pekerjaan", "kerja", "menganggur", "pengangguran", "modal", "usaha", "penghasilan", "nafkah", "nafkahi",
        "putus sekolah", "biaya sekolah", "spp", "kuliah", "ujian", "sekolah", "sakola", "biaya", "berobat", "lapar",
        "kelaparan", "gizi buruk", "stunting", "polisi", "penjara", "ditahan polisi", "kdrt", "mukul", "dipukul",
        "perlindungan", "listrik", "pln", "pdam", "air bersih", "job", "roof", "collapsed", "school", "fees", "food",
        "house", "fire", "ternak", "kambing", "sapi", "panen", "gagal panen", "pelatihan", "rentenir", "makanan",
        "makan", "mengaku", "numpang", "tidak punya rumah", "tunawisma", "gelandangan", "ngontrak", "obat",
        "tidak pulang", "kabur", "perabot", "bpjs", "kis", "jaminan kesehatan", "korupsi", "dikorupsi", "bully",
        "dibully", "buta huruf", "baca tulis", "sumur", "kekeringan", "leasing", "smp", "sma", "smk", "seragam",
        "sekolah negeri", "beasiswa", "rutilahu", "rtlh", "bedah rumah", "tidak layak huni", "lapuk", "bilik",
        "dinding", "banjir bandang", "pesangon", "narkoba", "kacamata", "pohon tumbang", "token", "meteran", "kering",
        "kemarau", "nagih", "ditagih", "bunga", "koperasi", "lowongan", "posyandu", "gizi", "rabies", "otp", "kode otp",
        "disebar", "dipukuli", "mabuk", "ditangkap", "sktm", "iuran", "ongkos", "uang muka", "earthquake", "income",
        "eat", "padam", "mati lampu", "ojek", "bangkrut", "tagihan", "dagang", "jualan", "buku sekolah", "bayar buku",
        "uang buku", "lks", "uang gedung", "uang pangkal", "study tour", "tidak ada uang", "tidak punya uang",
        "tidak ada biaya", "tidak punya biaya", "tidak ada ongkos", "ke dokter", "kesulitan", "kesusahan",
        "hidup susah", "takut", "ketakutan", "ngamuk", "mengamuk", "kekerasan", "gaji", "upah", "mandor", "honor", "sd",
        "paud", "yatim", "piatu", "yatim piatu", "dukcapil", "capil", "disdukcapil", "catatan sipil", "tidak punya apa",
        "tidak ada apa", "dimakan", "untuk makan",
    ),
    # the programmes' own words: a hardship told without them is "other"
    "BANSOS": (
        "pkh", "bpnt", "bansos", "bantuan sosial", "blt", "blt dd", "sembako", "kks", "kartu", "atm", "dtks", "siks",
        "penerima", "kpm", "terdaftar", "didata", "data", "nik", "pencairan", "cair", "saldo", "agen", "ewarong", "pin",
        "bantuan beras", "jatah", "pendamping", "p2k2", "beras bantuan", "bantuan pkh", "bantuan sembako",
        "dianggap mampu", "sudah mampu", "dianggap sudah mampu", "graduasi", "dicoret", "tercoret", "digraduasi",
    ),
    "LEVY": (
        "pungli", "pungutan", "potongan", "dipotong", "dimintai uang", "minta uang", "diminta uang", "setor",
        "uang rokok", "uang bensin", "uang administrasi", "uang terima kasih", "uang lelah", "biaya admin",
        "memotong", "potong uang", "minta transfer", "disuruh transfer", "suruh transfer",
        "biaya administrasi", "minta jatah",
    ),
    # someone posing as an official or a bank: a scam is "other", whatever it names
    "SCAM": (
        "mengaku", "mengaku dari", "tipu", "kena tipu", "penipu", "penipuan", "hipnotis", "minta pin",
        "minta nomor pin", "minta kode", "kode otp", "otp", "transfer dulu", "lewat telepon", "hadiah", "undian",
    ),
    # -- not a problem
    "STATUS": (
        "status", "status laporan", "cek laporan", "cek status", "perkembangan", "progres", "progress",
        "sudah sampai mana", "tindak lanjut", "ditindaklanjuti", "diproses", "nomor laporan", "tiket", "laporan",
        "nomor resmi", "kawal bansos", "salah kirim", "tes",
    ),
    "MY_REPORT": (
        "laporan saya", "laporan kemarin", "laporan kami", "laporan tadi", "laporan minggu lalu", "laporan nomor",
        "nomor laporan", "laporan kb", "laporan yang kemarin", "laporan yang kemarin", "laporanku", "my report",
        "aduan saya", "pengaduan saya",
    ),
    "STATUS_ASK": (
        "bagaimana", "sampai mana", "sudah", "belum", "diproses", "ditindaklanjuti", "ditanggapi", "kabar",
        "kelanjutan", "kelanjutannya", "perkembangan", "kapan", "status", "apa", "dibaca", "diterima",
    ),
    "REPORTED": ("laporan", "lapor", "melapor", "sudah lapor", "aduan", "pengaduan", "reported", "report"),
    "FOLLOWED_UP": (
        "sampai mana", "diproses", "ditindaklanjuti", "ditanggapi", "kelanjutan", "kelanjutannya", "perkembangan",
        "progres", "progress", "sudah sampai", "dibaca", "tindak lanjut",
    ),
    "SCHEDULE": (
        "jadwal", "pertemuan", "p2k2", "jam berapa", "tanggal berapa", "hari apa", "rapat", "undangan", "meeting",
        "what time",
    ),
    "RESOLVED": (
        "sudah beres", "sudah selesai", "sudah diterima", "sudah saya terima", "sudah cair", "sudah masuk",
        "sudah bisa", "berhasil", "sudah diganti", "sudah jadi", "alhamdulillah", "sudah dapat", "sudah aman",
        "sudah ketemu", "sudah normal", "sudah lancar", "sudah diantar", "sudah dibantu", "sudah diurus",
        "sudah saya ganti", "sudah saya ambil", "sudah saya urus",
    ),
    "SMALLTALK": (
        "sudah saya catat", "sudah dicatat", "lahir batin", "minal aidin", "selamat lebaran", "selamat tahun baru",
        "salam kenal", "apa kabar", "lagi sibuk", "ini siapa", "nomor ini", "nomor pendamping", "ditunggu kabarnya",
        "nanti saya kabari", "saya kabari", "dimengerti", "izin tidak ikut", "titipsalam", "selamat ulang tahun",
        "oke dicatat", "siap dicatat", "baik dicatat", "iya dicatat", "kabar baik", "ini dengan siapa",
        "nomor ini masih aktif", "selamat hari raya", "selamat idul fitri", "selamat idul adha", "ini saya ibu",
        "ini saya bapak",
    ),
    "CONTRAST": ("tapi", "belum", "padahal", "namun", "kok", "tidak", "masih"),
}

# Everyday words that are spelt right as they stand, so never "corrected" to a problem word.
COMMON_WORDS = frozenset(
    "ada adalah agar akan aku anak apa atau bagaimana baru barusan bawa belum benar berapa besar bilang bisa "
    "bulan cuma dalam dan dapat dari datang dengan depan desa dia dimana dua empat ganti hanya hari harus ini "
    "itu jadi jalan juga kabar kalau kami kampung kantor kapan karena kata kecamatan keluarga kelurahan kemarin "
    "kenapa kepada keras kita kok kurang lagi lain lalu lama langsung lima lurah mana masih mau minggu minta "
    "mohon mulai nanti orang pagi pakai pernah petugas pulang punya rumah saat saja sama sampai satu saudara "
    "sebelum sedang sejak selalu semua sendiri setiap siang sudah supaya tahu tahun tanggal tapi tempat tetap "
    "tetapi tiga tolong tunggu untuk waktu warga yang bantu kasih lewat sana sini situ pendamping ketua "
    "kelompok bank kantor cabang balai kepala kades pemerintah dinas sosial polsek surat keterangan "
    "kerja kerjaan posisi bersama kembali katanya bilangnya semalam sekolahan lemari arisan pasar motor "
    "seminggu sebulan setahun tadi besok lusa pernah beli jual bayar bantuan bansos sembako pkh bpnt "
    "banget padahal kayaknya laksanakan noted makan tinggal layak mampu miskin hidup janda serabutan "
    "sekeluarga dibongkar mudik sewaktu antri the and for from with this that what have has been was were "
    "does shows got can't cant help need needs please thank thanks you your our they there their "
    "cari dicari mencari angka angkot bareng berat hapus jauh kertas lapor laporan melapor melaporkan mengganggu "
    "sawah tanpa ternyata usang lepas pisan make kalih kakung telung siap baik lahir pulang anaknya".split()
)

# Words that hold a sentence together but tell nothing of what happened; a message of only these (and
# greetings, thanks, yes or no) is not a story.
FUNCTION_WORDS = frozenset(
    "saya kami kita kamu anda dia mereka beliau yang di ke dari dan atau dengan untuk karena juga lagi ini itu "
    "ada apa apakah bagaimana kapan kenapa mengapa dimana berapa siapa sudah belum tidak bukan ya iya mau bisa "
    "boleh harus akan sedang masih sama jadi kalau tapi terus lalu saja aja mohon tolong minta maaf permisi "
    "oke siap sip noted baik benar nggih inggih muhun mangga punten nuwun sewu halo hai selamat pagi siang sore "
    "malam assalamualaikum wassalam salam tes test menu mulai ok info nomor no pada oleh bagi agar supaya "
    "biar pun nah kan lho kah dulu sekarang nanti tadi besok kemarin hari minggu bulan tahun jam sini situ sana "
    "mana gitu begitu begini gimana kok sih dong deh nih tuh ah eh oh wah hmm yah yak banget sekali sangat "
    "lebih kurang cuma hanya semua setiap tiap para si sang abdi kulo niki niku nopo pripun teh atuh wae euy "
    "ieu eta anu ngan mah tos sampun matur suwun sanget hatur nuhun thank thanks you yes no what when where "
    "how is the a an of to for my me i we please ok okay sehat selalu amin aamiin laksanakan gpp tidak apa "
    "senin selasa rabu kamis jumat sabtu".split()
)
