def mask_nik_like(text):  # stub: the behaviour before the change
    return text


def masked(value):
    return value
