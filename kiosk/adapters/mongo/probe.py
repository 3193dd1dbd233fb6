"""The ConnectionProbe port: the central checks of `kiosk doctor`, run against one URI."""

from __future__ import annotations

from kiosk.services.app_ports import HealthCheck


class MongoConnectionProbe:
    def probe(self, uri: str, clinic_id: str) -> tuple[list[HealthCheck], str]:
        from kiosk.adapters.mongo.health import check_central, server_address  # noqa: PLC0415

        return list(check_central(uri, clinic_id)), server_address(uri)
