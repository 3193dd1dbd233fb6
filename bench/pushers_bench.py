"""Twenty kiosks of one clinic pushing at once to one server (issue 15), against twenty raw
``insert_many`` clients writing the same link documents at once.

Twenty demo kiosks of the clinic (each its own kiosk id and SQLite file) queue usages (not
timed; 100 each, 25 with ``--quick``). Each is then drained by its own process with
``push_pending`` (the kiosk's batch size; one transaction per batch with the links,
receipts, stock and cost summaries), all released at the same moment once every process is
ready; the figure is the aggregate events per second from the first start to the last finish.
The baseline is twenty processes inserting the very link documents of their kiosk with a bare
``insert_many`` (batches of 200, majority + journal, no transaction) into a scratch collection
with the link indexes, released the same way, on the same server, in the same run.
Afterwards the ledger must hold every event exactly once (no duplicate kiosk sequence) and
the central audit must find no drift between stock, cost summaries and the ledger.
"""

from __future__ import annotations

import multiprocessing as mp
import shutil
import time
from pathlib import Path
from typing import Any

from bson import ObjectId
from pymongo.write_concern import WriteConcern

from bench.common import Figure, Settings, secantus_server_class
from bench.push_bench import BATCH, link_documents, queue_usages, seed_catalog
from kiosk.adapters.mongo.central import MongoCentral
from kiosk.adapters.mongo.client import connect, database
from kiosk.adapters.mongo.schema import INDEXES, LINK, ensure_schema
from kiosk.bootstrap import open_demo_kiosk, replace_kiosk_id
from kiosk.domain.errors import CentralUnavailable
from kiosk.services.sync_push import push_pending

KIOSKS = 20
RETRIES = 30  # failed rounds a kiosk process retries before it gives up
BACKOFF_S = 0.1
SCRATCH = "RawPushers"
DATABASE = "kiosk.sqlite3"


def _push_worker(home: str, uri: str, ready, go, results) -> None:
    """One kiosk process: open its store and connection, wait for the start, drain the way
    the kiosk's sync loop does (a failed round waits and tries again). Always answers, with
    the error when it could not drain, so the parent never waits on a dead process."""
    try:
        ctx = open_demo_kiosk(Path(home)).context
        with ctx.store.read() as tx:
            identity = tx.identity()
        central = MongoCentral.from_uri(uri, identity.clinic_id, identity.kiosk_id)
    except Exception as error:
        ready.release()
        results.put(("error", repr(error)))
        return
    try:
        ready.release()
        go.wait()
        began = time.perf_counter()
        pushed, failed = 0, 0
        while True:
            try:
                report = push_pending(ctx, central)
            except CentralUnavailable:
                failed += 1
                if failed > RETRIES:
                    raise
                time.sleep(min(BACKOFF_S * 2 ** failed, 5.0))
                continue
            pushed += report.pushed
            if report.remaining == 0:
                break
        results.put((began, time.perf_counter(), pushed, report.remaining, failed))
    except Exception as error:
        results.put(("error", repr(error)))
    finally:
        central.close()
        ctx.store.close()


def _raw_worker(uri: str, documents: list[dict], ready, go, results) -> None:
    """One raw client: the same documents, bare insert_many in batches."""
    with connect(uri) as client:
        scratch = database(client).get_collection(
            SCRATCH, write_concern=WriteConcern("majority", j=True))
        scratch.find_one()  # connected before the start
        ready.release()
        go.wait()
        began = time.perf_counter()
        for start in range(0, len(documents), BATCH):
            scratch.insert_many(documents[start:start + BATCH], ordered=True)
        results.put((began, time.perf_counter(), len(documents), 0, 0))


def _released_at_once(target, args: list[tuple]) -> tuple[float, int, int, int]:
    """Run one process per ``args``, start them together; (seconds, done, remaining,
    failed rounds)."""
    context = mp.get_context("spawn")
    ready, go, results = context.Semaphore(0), context.Event(), context.Queue()
    workers = [context.Process(target=target, args=(*a, ready, go, results)) for a in args]
    for worker in workers:
        worker.start()
    for _ in workers:
        if not ready.acquire(timeout=300):
            raise RuntimeError("a benchmark process did not get ready within 5 minutes")
    go.set()
    rows = [results.get(timeout=900) for _ in workers]
    errors = [row[1] for row in rows if row[0] == "error"]
    for worker in workers:
        worker.join(timeout=60)
        if worker.exitcode != 0:
            raise RuntimeError(f"a benchmark process failed (exit {worker.exitcode})")
    if errors:
        raise RuntimeError(f"{len(errors)} benchmark process(es) failed: {errors[0]}")
    seconds = max(r[1] for r in rows) - min(r[0] for r in rows)
    return seconds, sum(r[2] for r in rows), sum(r[3] for r in rows), sum(r[4] for r in rows)


def _another_chair(first: Path, home: Path, n: int) -> None:
    """A kiosk of the same clinic with the same catalog (ids included, as a pull gives every
    chair): the first one's database before any usage, under a kiosk id of its own."""
    home.mkdir(parents=True)
    shutil.copy2(first / DATABASE, home / DATABASE)
    config = (first / "config.toml").read_text(encoding="utf-8")
    config = config.replace(f'data_dir = "{first}"', f'data_dir = "{home}"').replace(
        'workstation_id = "demo-chair-1"', f'workstation_id = "chair-{n + 1:02d}"')
    (home / "config.toml").write_text(config, encoding="utf-8")
    replace_kiosk_id(str(home / "config.toml"))


def run(folder: Path, settings: Settings) -> list[Figure]:
    per_kiosk = 25 if settings.quick else 100
    server = secantus_server_class()(folder / "secantus-pushers").start()
    try:
        uri = server.uri.replace("/?", "/kiosk_bench_pushers?")
        client = connect(uri)
        db = database(client)
        ensure_schema(db)
        homes = [folder / f"pusher-{n:02d}" for n in range(KIOSKS)]
        first = open_demo_kiosk(homes[0]).context
        with first.store.read() as tx:
            clinic = ObjectId(tx.identity().clinic_id)
        seed_catalog(db, first, clinic)
        first.store.close()
        for n, home in enumerate(homes[1:], start=1):
            _another_chair(homes[0], home, n)
        documents: list[list[dict[str, Any]]] = []
        for home in homes:
            ctx = open_demo_kiosk(home).context
            with ctx.store.read() as tx:
                kiosk_id = ObjectId(tx.identity().kiosk_id)
            queue_usages(ctx, per_kiosk)
            with ctx.store.read() as tx:
                queued = tx.pending_events(per_kiosk)
            documents.append(link_documents(queued, clinic, kiosk_id))
            ctx.store.close()
        db[SCRATCH].create_indexes(INDEXES[LINK])
        raw_s, raw_done, _, _ = _released_at_once(_raw_worker, [(uri, d) for d in documents])
        ours_s, pushed, remaining, failed = _released_at_once(
            _push_worker, [(str(home), uri) for home in homes])
        total = KIOSKS * per_kiosk
        links = db[LINK].count_documents({"clinicId": clinic})
        distinct = len({(d["kioskId"], d["kioskSeq"]) for d in db[LINK].find(
            {"clinicId": clinic}, {"kioskId": 1, "kioskSeq": 1})})
        auditor = MongoCentral(client, str(clinic), str(ObjectId()), db)
        drifts = auditor.audit()
        client.close()
    finally:
        server.stop()
    duplicates = links - distinct
    ours, raw = pushed / ours_s, raw_done / raw_s
    ratio = ours / raw
    ok = ratio >= 0.5 and pushed == total and remaining == 0 and duplicates == 0 and not drifts
    return [Figure(
        f"{KIOSKS} kiosks pushing at once", ours, "events/s", raw, ratio, "≥ 0.5×", ok,
        f"baseline: {KIOSKS} raw insert_many clients of the same link documents at once "
        f"(batches of {BATCH}, the link indexes); {pushed:,} of {total:,} events pushed, "
        f"{remaining} left after {failed} failed round(s) retried, {links:,} links, "
        f"{duplicates} duplicates, {len(drifts)} drift(s)"
        + (f" (first: {drifts[0]})" if drifts else ""))]
