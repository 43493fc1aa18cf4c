from mapper.text.names import fold, is_latin, strip_type_word, variant_key


def test_fold_removes_case_accents_apostrophes_and_hyphens():
    assert fold("Wazīristān") == "waziristan"
    assert fold("Mazar-e-Sharif") == "mazar e sharif"
    assert fold("Khyber  Pakhtunkhwa") == "khyber pakhtunkhwa"
    assert fold("Ma’rib") == "marib"


def test_variant_key_joins_transliterations():
    assert variant_key("Darra Adam Khel") == variant_key("Dara Adam Khel")
    assert variant_key("Mazar-i-Sharif") == variant_key("Mazar-e-Sharif")
    assert variant_key("Kabul") != variant_key("Kabal")


def test_is_latin():
    assert is_latin("Kābul")
    assert not is_latin("کابل")
    assert not is_latin("123")


def test_strip_type_word():
    assert strip_type_word("North Waziristan District") == ("North Waziristan", "district")
    assert strip_type_word("Khyber Pakhtunkhwa province") == ("Khyber Pakhtunkhwa", "province")
    assert strip_type_word("District") == ("District", None)
