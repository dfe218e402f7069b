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
