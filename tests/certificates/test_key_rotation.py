"""Keys that can rotate (issue 13.10): field keys as a list, verification codes on their own key."""

import base64
import os

from certificates import personal


def _key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def test_old_data_stays_readable_after_a_new_field_key_is_added(settings):
    old = _key()
    settings.JIANFU_FIELD_KEYS = [old]
    token = personal.encrypt("12010319800101123X")
    new = _key()
    settings.JIANFU_FIELD_KEYS = [new, old]
    assert personal.decrypt(token) == "12010319800101123X"
    rotated = personal.reencrypt(token)
    settings.JIANFU_FIELD_KEYS = [new]
    assert personal.decrypt(rotated) == "12010319800101123X"


def test_rotating_the_secret_key_keeps_printed_verification_codes_valid(settings):
    settings.JIANFU_VERIFY_CODE_KEY = "a-dedicated-verification-code-key-0123456789-abcdefghij"
    code = personal.verify_code_new()
    assert personal.verify_code_well_formed(code)
    settings.SECRET_KEY = "a-completely-new-secret-key-after-rotation-0123456789-xyz"
    assert personal.verify_code_well_formed(code)


def test_the_reencrypt_command_moves_stored_numbers_to_the_newest_key(make_application, settings):
    from django.core.management import call_command

    from certificates.models import CertificateApplication

    old = settings.JIANFU_FIELD_KEYS[0] if settings.JIANFU_FIELD_KEYS else settings.JIANFU_FIELD_KEY
    app = make_application()
    before = personal.decrypt(CertificateApplication.objects.get(pk=app.pk).id_number_encrypted)
    new = _key()
    settings.JIANFU_FIELD_KEYS = [new, old]
    call_command("reencrypt_id_numbers")
    settings.JIANFU_FIELD_KEYS = [new]  # the old key is gone
    assert personal.decrypt(CertificateApplication.objects.get(pk=app.pk).id_number_encrypted) == before


def test_rotating_every_field_key_keeps_finding_a_persons_applications(make_application, settings):
    """The ID lookup hash has its own key: after the Fernet keys rotate (and the old one is gone) the stored
    hash still finds the applicant's applications and the number still decrypts."""
    from django.core.management import call_command

    from certificates.models import CertificateApplication
    from tests.certificates.conftest import GOOD_ID

    settings.JIANFU_ID_LOOKUP_KEY = "a-dedicated-id-lookup-key-0123456789-abcdefghijklmnop"
    old = _key()
    settings.JIANFU_FIELD_KEY, settings.JIANFU_FIELD_KEYS = old, [old]
    app = make_application(id_number=GOOD_ID)
    new = _key()
    settings.JIANFU_FIELD_KEY, settings.JIANFU_FIELD_KEYS = new, [new, old]
    call_command("reencrypt_id_numbers")
    settings.JIANFU_FIELD_KEY, settings.JIANFU_FIELD_KEYS = new, [new]  # the old key is gone everywhere
    found = CertificateApplication.objects.filter(id_number_hash=personal.id_number_hash(GOOD_ID))
    assert list(found.values_list("pk", flat=True)) == [app.pk]
    assert personal.decrypt(found.get().id_number_encrypted) == GOOD_ID


def test_the_lookup_key_defaults_to_the_field_key_so_stored_hashes_stay_valid():
    """Hashes stored before the setting existed were keyed with JIANFU_FIELD_KEY: the default keeps them."""
    from portal.settings import base

    assert base.JIANFU_ID_LOOKUP_KEY == (os.environ.get("JIANFU_ID_LOOKUP_KEY") or base.JIANFU_FIELD_KEY)
