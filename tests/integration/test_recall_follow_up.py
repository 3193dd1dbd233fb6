"""Recall follow-through across the clinic (issue 16 item 4): two kiosks of one clinic on one
real MongoDB wire server see the same per-patient statuses, another clinic's follow-ups stay
invisible, an unreachable server saves nothing and says so; and a kiosk with no server keeps
them in its SQLite store, driven through the real CLI (with the RECALLED over-label)."""

from __future__ import annotations

import json
import time

import pypdfium2 as pdfium
import pytest
from bson import ObjectId
from test_central_pull import CLINIC_B, deduct
from test_clinic_reads import PATIENT
from test_recall_clinic import OTHER_PATIENT, RECALL, place_at, two_chairs  # noqa: F401

from kiosk.adapters.mongo.follow_ups import MongoRecallFollowUps
from kiosk.domain.errors import CentralUnavailable
from kiosk.domain.follow_up import FollowUpStatus
from kiosk.services.demo import DEMO_CLINIC_ID
from kiosk.services.recall_follow_up import follow_up_list, record_step
from kiosk.services.recalls import import_recalls

NUMBER = "Z-0101-2027"
LOT_NUMBER = "B25E392"
C, A = FollowUpStatus.CONTACTED, FollowUpStatus.ASSESSED


def statuses(ctx, follow_ups) -> dict[str, str | None]:
    listing = follow_up_list(ctx, follow_ups, "B1007", NUMBER)
    assert listing.scope is not None and listing.scope.kind == "clinic"
    return {p.patient.chart_number: p.status and p.status.value for p in listing.patients}


def test_two_kiosks_of_a_clinic_share_statuses_and_another_clinics_stay_out(
        two_chairs, central_uri):  # noqa: F811
    one, two = two_chairs
    place_at(one, OTHER_PATIENT)
    deduct(two.kiosk, LOT_NUMBER, 3)
    one.sync()
    two.sync()
    for chair in (one, two):  # each kiosk's catalog knows the recall
        import_recalls(chair.ctx, "B1007", RECALL)
    at_one = MongoRecallFollowUps(central_uri, DEMO_CLINIC_ID)
    at_two = MongoRecallFollowUps(central_uri, DEMO_CLINIC_ID)
    assert statuses(one.ctx, at_one) == {PATIENT: "to contact", OTHER_PATIENT: "to contact"}

    [mateo] = [p for p in follow_up_list(one.ctx, at_one, "B1007", NUMBER).patients
               if p.patient.chart_number == PATIENT]
    record_step(one.ctx, at_one, "B1007", mateo.key, C, note="Spoke to his mother")
    # another clinic's follow-up with the very same recall, item, lot and patient ids
    one.db.RecallFollowUp.insert_one({
        "clinicId": CLINIC_B, "recallNumber": NUMBER, "itemId": ObjectId(mateo.key.item_id),
        "lotNumber": mateo.key.lot_number, "patientId": ObjectId(mateo.key.patient_id),
        "status": "assessed", "history": []})
    assert statuses(two.ctx, at_two) == {PATIENT: "contacted", OTHER_PATIENT: "to contact"}
    record_step(two.ctx, at_two, "B1005", mateo.key, A, note="No loose pads")

    [seen] = [p for p in follow_up_list(one.ctx, at_one, "B1007", NUMBER).patients
              if p.patient.chart_number == PATIENT]
    assert [(s.status, s.by_name, s.note) for s in seen.steps] == [
        (C, "Søren Lindqvist", "Spoke to his mother"), (A, "Łukasz Nowak", "No loose pads")]
    [doc] = one.db.RecallFollowUp.find({"clinicId": ObjectId(DEMO_CLINIC_ID)})
    assert (doc["status"], doc["recallNumber"], len(doc["history"])) == ("assessed", NUMBER, 2)


def test_an_unreachable_server_saves_no_step_and_says_what_to_do(two_chairs):  # noqa: F811
    one, _ = two_chairs
    place_at(one, OTHER_PATIENT)
    import_recalls(one.ctx, "B1007", RECALL)
    up = MongoRecallFollowUps(one.ledger.uri, DEMO_CLINIC_ID)
    [patient] = follow_up_list(one.ctx, up, "B1007", NUMBER).patients
    down = MongoRecallFollowUps("mongodb://127.0.0.1:1/?directConnection=true", DEMO_CLINIC_ID)
    started = time.monotonic()
    with pytest.raises(CentralUnavailable, match=r"^The follow-up step was not saved: The "
                                                 r"central server cannot be reached"):
        record_step(one.ctx, down, "B1007", patient.key, C)
    assert time.monotonic() - started < 6
    assert one.db.RecallFollowUp.count_documents({}) == 0




def test_a_kiosk_without_a_server_follows_up_through_the_cli_and_prints_the_over_label(
        cli, tmp_path):
    cli.ok("demo-seed")
    cli.ok("deduct", "--actor", "B1001", "--patient", PATIENT, "--appliance-type", "BRACKET",
           "--scan", f"(01)00812345671018(10){LOT_NUMBER}")
    recall_file = tmp_path / "recall.json"
    recall_file.write_text(RECALL, encoding="utf-8")
    cli.ok("recall", "import", str(recall_file), "--actor", "B1007", "--out-dir", str(tmp_path))
    [contacts] = tmp_path.glob("recall-*.csv")
    assert contacts.read_text(encoding="utf-8").startswith(
        "chartNumber,patientName,phone,guardianName,guardianPhone,")

    out = cli.ok("recall", "follow-up", NUMBER, "--patient", PATIENT, "--status", "contacted",
                 "--actor", "B1007", "--note", "Called the mother")
    assert f"Patient {PATIENT} (BRK-MBT-U1R lot {LOT_NUMBER}) is contacted: Søren" in out
    again = cli("recall", "follow-up", NUMBER, "--patient", PATIENT, "--status", "contacted",
                "--actor", "B1007")
    assert again.code == 1 and "already marked contacted" in again.err
    assert "Traceback" not in again.err
    listing = json.loads(cli.ok("recall", "status", NUMBER, "--actor", "B1007", "--json"))
    [row] = listing["patients"]
    assert (row["chartNumber"], row["status"], row["history"][0]["note"]) == (
        PATIENT, "contacted", "Called the mother")
    refused = cli("recall", "status", NUMBER, "--actor", "B1001")  # an assistant
    assert refused.code == 1 and "inventory:adjust" in refused.err

    pdf_path = tmp_path / "over.pdf"
    out = cli.ok("label", "--lot", LOT_NUMBER, "-o", str(pdf_path))  # RECALLED: the over-label
    assert "RECALLED over-label" in out
    pdf = pdfium.PdfDocument(pdf_path.read_bytes())
    try:
        text = pdf[0].get_textpage().get_text_range()
    finally:
        pdf.close()
    assert "RECALLED — do not use" in text and f"Recall {NUMBER}" in text
    assert f"LOT {LOT_NUMBER}" in text and "SKU BRK-MBT-U1R" in text
