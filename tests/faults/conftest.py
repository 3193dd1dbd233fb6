"""End-to-end fault tests: the integration helpers they share.

Every test module here sets ``pytestmark = pytest.mark.faults``: ``pytest -m faults`` runs
them alone (with the fault scenarios marked so in other folders). The counts each scenario
records go to the run's fault report (the ``fault_report`` fixture, tests/conftest.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

# the loopback proxy lives with the integration tests
INTEGRATION = str(Path(__file__).resolve().parents[1] / "integration")
if INTEGRATION not in sys.path:
    sys.path.append(INTEGRATION)
