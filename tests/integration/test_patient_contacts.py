"""Patients' contact details (issue 16 item 4): ``phone``, ``guardian_name`` and
``guardian_phone`` in the patients import, kept by a kiosk's SQLite store, and on the central
Patient as camelCase fields that the pull carries to every kiosk, validated like an import."""

from __future__ import annotations

import pytest
from bson import ObjectId
from test_central_import import import_files
from test_central_pull import central_for, new_kiosk

from kiosk.adapters.mongo.admin import init_central
from kiosk.adapters.mongo.client import connect, database
from kiosk.adapters.sqlite import initialize_store, open_store
from kiosk.domain.errors import ValidationError
from kiosk.services.context import ServiceContext, SystemClock
from kiosk.services.demo import DEMO_CLINIC_ID
from kiosk.services.imports import import_csv
from kiosk.services.sync_pull import CatalogDataError, pull_catalog

CONTACTS = ("patient_id,chart_number,first_name,last_name,phone,guardian_name,guardian_phone\n"
            "64b200000000000000000091,C-900,Mia,Kowalski,+1 (555) 010-2030,"
            "\"Anna Kowalski\",555-0199\n"
            ",C-901,Leo,Brandt,,,\n")


def test_a_local_kiosk_keeps_the_contact_columns_and_older_files_still_import(tmp_path):
    path = tmp_path / "kiosk.db"
    initialize_store(path, DEMO_CLINIC_ID, "chair-1")
    with open_store(path) as store:
        ctx = ServiceContext(store=store, clock=SystemClock())
        assert import_csv(ctx, "patients", CONTACTS) == 2
        assert import_csv(ctx, "patients", "chart_number,first_name,last_name,patient_id\n"
                                           "C-902,Ada,Old,\n") == 1  # no contact columns
        with pytest.raises(ValidationError, match="Line 2 of the patients file: the phone is "
                                                  "longer than 40 characters"):
            import_csv(ctx, "patients", CONTACTS.replace("+1 (555) 010-2030", "5" * 41))
        with store.read() as tx:
            mia, leo, ada = (tx.patient_by_chart(c) for c in ("C-900", "C-901", "C-902"))
    assert (mia.phone, mia.guardian_name, mia.guardian_phone) == (
        "+1 (555) 010-2030", "Anna Kowalski", "555-0199")
    assert (leo.phone, leo.guardian_name, ada.phone) == ("", "", "")


def test_central_patients_carry_camel_case_contacts_that_the_pull_brings_to_a_kiosk(
        tmp_path, central_uri):
    init_central(central_uri)
    import_files(central_uri, DEMO_CLINIC_ID, {"patients": CONTACTS}, ("patients",))
    with connect(central_uri) as client:
        db = database(client)
        doc = db.Patient.find_one({"chartNumber": "C-900"})
        assert doc["clinicId"] == ObjectId(DEMO_CLINIC_ID)
        assert (doc["phone"], doc["guardianName"], doc["guardianPhone"]) == (
            "+1 (555) 010-2030", "Anna Kowalski", "555-0199")
        # a record another system wrote with a phone that is not text is skipped, not frozen
        db.Patient.insert_one({**doc, "_id": ObjectId(), "chartNumber": "C-903",
                               "phone": 5550100, "rev": doc["rev"]})
        kiosk = new_kiosk(tmp_path)
        try:
            with pytest.raises(CatalogDataError, match="phone is a int, not text"):
                pull_catalog(kiosk.context, central_for(kiosk, db))
            with kiosk.context.store.read() as tx:
                mia, bad = tx.patient_by_chart("C-900"), tx.patient_by_chart("C-903")
        finally:
            kiosk.context.store.close()
    assert (mia.phone, mia.guardian_name, mia.guardian_phone) == (
        "+1 (555) 010-2030", "Anna Kowalski", "555-0199")
    assert bad is None
