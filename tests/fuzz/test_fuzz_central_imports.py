"""Hostile CSV files imported into the central catalog (`kiosk import` on a kiosk configured
with a server): the whole file lands in one MongoDB transaction or nothing does, with one
sentence naming the problem; a `$`-operator in a cell is stored as text, never obeyed."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pytest
from bson import json_util
from fuzz_checks import one_sentence
from hypothesis import HealthCheck, given, settings
from pymongo import MongoClient
from test_fuzz_imports import csv_files

from kiosk.adapters.config import load_config, save_config
from kiosk.bootstrap import central_init, demo_files, open_kiosk
from kiosk.domain.errors import KioskError

CENTRAL = settings(deadline=None, max_examples=60, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])


def central_fingerprint(uri: str) -> str:
    digest = hashlib.sha256()
    with MongoClient(uri) as client:
        db = client.get_default_database()
        for name in sorted(db.list_collection_names()):
            for doc in db[name].find().sort("_id"):
                digest.update(json_util.dumps(doc, sort_keys=True).encode())
    return digest.hexdigest()


@pytest.fixture
def central_kiosk(demo_kiosk, central_uri):
    """The demo kiosk pointed at a central server holding the demo catalog."""
    path = demo_kiosk.config_path
    save_config(replace(load_config(path), mongo_uri=central_uri), path)
    kiosk = open_kiosk(str(path))
    central_init(str(path))
    for kind in ("items", "offers", "staff", "patients"):
        kiosk.catalog.import_file(kind, demo_files()[kind])
    yield kiosk
    save_config(replace(load_config(path), mongo_uri=""), path)


@CENTRAL
@given(file=csv_files())
def test_a_hostile_csv_lands_centrally_whole_or_not_at_all(central_kiosk, central_uri,
                                                          file) -> None:
    kind, text = file
    before = central_fingerprint(central_uri)
    try:
        count = replace(central_kiosk.catalog, sleep=lambda _s: None).import_file(kind, text)
    except KioskError as error:
        message = str(error)
        assert one_sentence(message) and message.endswith("."), message
        assert central_fingerprint(central_uri) == before, "a refused import wrote centrally"
    else:
        assert count >= 1
