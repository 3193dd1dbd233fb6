"""Published barcode vectors, each with the source that publishes it and what it expects.

Every row names its source (repository + path, or the standard). A row marked "derived"
re-writes a published vector in another rendering the same source's standard defines
(e.g. the secondary data of a published HIBC concatenated symbol written as the
stand-alone secondary symbol); how is said in its note.

Sources:
- SE_DL: gs1/gs1-syntax-engine src/c-lib/dl.c (unit tests of gs1_parseDLuri),
  commit 02539aecd42819679326a4cd82189bb8119f7628.
- SE_AI: gs1/gs1-syntax-engine src/c-lib/ai.c (test_ai_validateAIs, "Ex" attribute),
  commit c567c3d68d9ee34182d15c8b57a93fd8908b8ad9.
- SE_SCAN: gs1/gs1-syntax-engine src/c-lib/scandata.c (test_scandata_processScanData),
  commit 005385df823c01ca64837df5595051f59cf8a594.
- BIIP_DL: jodal/biip tests/test_gs1_digital_link_uris.py.
- DL_TOOLKIT: gs1/GS1DigitalLinkToolkit.js js/GS1DigitalLinkToolkit.js, whose AI table
  gives the Digital Link pattern of (01) as (\\d{12,14}|\\d{8}).
- BPB_HIBC: DacoTaco/BarcodeParserBuilder
  BarcodeParserBuilder.UnitTests/Barcodes/HIBC/HibcBarcodeParserBuilderTestFixture.cs
  (its "+A99912349/$10X3/16D20111231/14D20200131/Q500Z" is the ANSI/HIBC 2.6 sample).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from kiosk.domain.barcodes import parse_scan

SE_DL = "gs1/gs1-syntax-engine src/c-lib/dl.c@02539aec"
SE_AI = "gs1/gs1-syntax-engine src/c-lib/ai.c@c567c3d6"
SE_SCAN = "gs1/gs1-syntax-engine src/c-lib/scandata.c@005385df"
BIIP_DL = "jodal/biip tests/test_gs1_digital_link_uris.py"
DL_TOOLKIT = "gs1/GS1DigitalLinkToolkit.js js/GS1DigitalLinkToolkit.js (AI 01 pattern)"
BPB_HIBC = (
    "DacoTaco/BarcodeParserBuilder "
    "BarcodeParserBuilder.UnitTests/Barcodes/HIBC/HibcBarcodeParserBuilderTestFixture.cs"
)

# HIBC mod-43 values, written out here independently of the parser's own table.
_HIBC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%"


def hibc_check(data: str) -> str:
    return _HIBC[sum(_HIBC.index(c) for c in data) % 43]


def standalone_secondary(primary: str, secondary_data: str) -> str:
    """The stand-alone secondary symbol for ``secondary_data`` (ANSI/HIBC 2.6 §2.3):
    '+', the data, the link character (the primary symbol's check character), check."""
    symbol = f"+{secondary_data}{hibc_check(primary)}"
    return symbol + hibc_check(symbol)


@dataclass(frozen=True)
class Vector:
    raw: str
    source: str
    gtin: str | None = None
    lot: str | None = None
    expiry: date | None = None
    serial: str | None = None
    quantity: int | None = None
    hibcc: tuple[str, str, int] | None = None
    refused: str | None = None  # a fragment of the one sentence a refused vector gets
    note: str = ""


ACCEPTED = [
    # GS1 Digital Link
    Vector("https://id.gs1.org/01/09520123456788", SE_DL, gtin="09520123456788"),
    Vector(
        "https://id.gs1.org/01/09520123456788/10/ABC123",
        SE_DL,
        gtin="09520123456788",
        lot="ABC123",
    ),
    Vector(
        "https://id.gs1.org/01/09520123456788/21/12345",
        SE_DL,
        gtin="09520123456788",
        serial="12345",
    ),
    Vector(
        "https://id.gs1.org/01/09520123456788/10/ABC1/21/12345?17=180426",
        SE_DL,
        gtin="09520123456788",
        lot="ABC1",
        serial="12345",
        expiry=date(2018, 4, 26),
    ),
    Vector(
        "https://id.gs1.org/01/09520123456788/235/XYZ?10=ABC123",
        SE_DL,
        gtin="09520123456788",
        lot="ABC123",
        note="(235) is the key qualifier here, so (10) is a data attribute",
    ),
    Vector(
        "https://example.com/01/09520123456788?3103=000195&3922=0299&17=201225",
        SE_DL,
        gtin="09520123456788",
        expiry=date(2020, 12, 25),
    ),
    Vector("https://brand.example.com/01/9520123456788", SE_DL, gtin="09520123456788"),
    Vector("https://a/01/416000336108", SE_DL, gtin="00416000336108", note="GTIN-12"),
    Vector("https://a/01/02345673", SE_DL, gtin="00000002345673", note="GTIN-8"),
    Vector(
        "https://example.com/foo/01/614141123452", BIIP_DL, gtin="00614141123452"
    ),
    Vector(
        "https://id.gs1.org/01/00614141123452/10/ABC123",
        BIIP_DL,
        gtin="00614141123452",
        lot="ABC123",
    ),
    # GS1 element strings and EAN/UPC with symbology identifiers
    Vector("]E02112345678900", SE_SCAN, gtin="02112345678900"),
    Vector("]E402345673", SE_SCAN, gtin="00000002345673"),
    Vector(
        "]d2011231231231233310ABC123\x1d99TESTING",
        SE_SCAN,
        gtin="12312312312333",
        lot="ABC123",
    ),
    Vector(
        "]C1011231231231233310ABC123\x1d99TESTING",
        SE_SCAN,
        gtin="12312312312333",
        lot="ABC123",
    ),
    # HIBC concatenated symbols (primary and secondary data in one)
    Vector(
        "+A99912345/$$812710X3/16D20111212/14D20200906/S77DEFG453",
        BPB_HIBC,
        lot="10X3",
        expiry=date(2020, 9, 6),
        serial="77DEFG45",
        quantity=12,
        hibcc=("A999", "1234", 5),
    ),
    Vector(
        "+A99912345/$$902345710X3/16D20111212/14D20200906/S77DEFG45F",
        BPB_HIBC,
        lot="10X3",
        expiry=date(2020, 9, 6),
        serial="77DEFG45",
        quantity=2345,
        hibcc=("A999", "1234", 5),
    ),
    Vector(
        "+A99912345/$$52025010X3/16D20111212/S77DEFG458",
        BPB_HIBC,
        lot="10X3",
        expiry=date(2020, 9, 6),
        serial="77DEFG45",
        hibcc=("A999", "1234", 5),
    ),
    Vector(
        "+A99912349/$10X3/16D20111231/14D20200131/Q500Z",
        BPB_HIBC,
        lot="10X3",
        expiry=date(2020, 1, 31),
        quantity=500,
        hibcc=("A999", "1234", 9),
        note="the ANSI/HIBC 2.6 sample",
    ),
    Vector(
        "+E203PB414109/$$8243280112R00089525J",
        BPB_HIBC,
        lot="R00089525",
        expiry=date(2028, 1, 12),
        quantity=24,
        hibcc=("E203", "PB41410", 9),
    ),
    Vector("+A123BJC5D6E71G", BPB_HIBC, hibcc=("A123", "BJC5D6E7", 1)),
    Vector(
        "+A123BJC5D6E71G+$$52001510X3GD",
        BPB_HIBC,
        lot="10X3",
        expiry=date(2020, 1, 15),
        hibcc=("A123", "BJC5D6E7", 1),
    ),
    # HIBC stand-alone secondary symbols with '/' supplemental fields (issue 16 defect 2)
    Vector(
        standalone_secondary("+A99912345", "$$812710X3/16D20111212/14D20200906/S77DEFG45"),
        BPB_HIBC + " (derived)",
        lot="10X3",
        expiry=date(2020, 9, 6),
        serial="77DEFG45",
        quantity=12,
        note="secondary data of +A99912345/$$812710X3/16D20111212/14D20200906/S77DEFG453",
    ),
    Vector(
        standalone_secondary("+A99912345", "$$902345710X3/16D20111212/14D20200906/S77DEFG45"),
        BPB_HIBC + " (derived)",
        lot="10X3",
        expiry=date(2020, 9, 6),
        serial="77DEFG45",
        quantity=2345,
        note="secondary data of +A99912345/$$902345710X3/16D20111212/14D20200906/S77DEFG45F",
    ),
    Vector(
        standalone_secondary("+A99912345", "$$52025010X3/16D20111212/S77DEFG45"),
        BPB_HIBC + " (derived)",
        lot="10X3",
        expiry=date(2020, 9, 6),
        serial="77DEFG45",
        note="secondary data of +A99912345/$$52025010X3/16D20111212/S77DEFG458",
    ),
    Vector(
        standalone_secondary(
            "+A123ABCDEFGHI1234567891",
            "$$420020216LOT123456789012345/SXYZ456789012345678/16D20130202",
        ),
        BPB_HIBC + " (derived)",
        lot="LOT123456789012345",
        expiry=date(2020, 2, 2),
        serial="XYZ456789012345678",
        note="secondary data of the 'Online Example #1' concatenated symbol",
    ),
    Vector(
        standalone_secondary("+A99912349", "$10X3/16D20111231/14D20200131/Q500"),
        BPB_HIBC + " (derived)",
        lot="10X3",
        expiry=date(2020, 1, 31),
        quantity=500,
        note="secondary data of the ANSI/HIBC 2.6 sample",
    ),
]

REFUSED = [
    # Defect 1: a Digital Link (01) of another length than 8, 12, 13 or 14 digits
    Vector("https://id.gs1.org/01/123", DL_TOOLKIT, refused="has 3 digits", note="issue 16"),
    Vector(
        "https://a/01/2345673",
        SE_DL + " (derived)",
        refused="has 7 digits",
        note="the GTIN-8 vector 02345673 with its leading zero dropped",
    ),
    # Defect 3a: ]E0 carries 13 digits (EAN-13, and UPC-A as 13 digits)
    Vector("]E0123456789012", SE_SCAN, refused="has 12,", note="'Short'"),
    Vector("]E012345678901234", SE_SCAN, refused="has 14,", note="'Long'"),
    Vector("]E4123456789", SE_SCAN, refused="has 9,", note="EAN-8 'Long'"),
    # Defect 3b: (01) and (02) are mutually exclusive
    Vector("(01)12345678901231(02)12345678901231", SE_AI, refused="(02)"),
    Vector("(99)ABC123(01)12345678901231(02)12345678901231", SE_AI, refused="(02)"),
    Vector("(01)12345678901231(02)12345678901231(99)ABC123", SE_AI, refused="(02)"),
    # Defect 3c: a key qualifier in the query string, or in both path and query
    Vector("https://example.com/01/09520123456788?10=ABC123", SE_DL, refused="(10)"),
    Vector(
        "https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&10=ABC123",
        SE_DL,
        refused="(10)",
    ),
    Vector(
        "https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&01=09520123456788",
        SE_DL,
        refused="(01)",
    ),
]


@pytest.mark.parametrize("vector", ACCEPTED, ids=lambda v: v.raw)
def test_published_vector_parses_as_its_source_expects(vector: Vector) -> None:
    result = parse_scan(vector.raw)
    assert result.ok, (vector.source, result.error)
    hibcc = (
        (result.hibcc.labeler, result.hibcc.product, result.hibcc.uom)
        if result.hibcc is not None
        else None
    )
    assert (
        result.gtin,
        result.lot,
        result.expiry,
        result.serial,
        result.quantity,
        hibcc,
    ) == (
        vector.gtin,
        vector.lot,
        vector.expiry,
        vector.serial,
        vector.quantity,
        vector.hibcc,
    ), vector.source


@pytest.mark.parametrize("vector", REFUSED, ids=lambda v: v.raw)
def test_published_invalid_vector_is_refused_with_one_sentence(vector: Vector) -> None:
    result = parse_scan(vector.raw)
    assert not result.ok, vector.source
    assert result.gtin is None and result.lot is None
    error = result.error or ""
    assert vector.refused is not None and vector.refused in error, (vector.source, error)
    assert error.endswith(".") and error.count(". ") == 0, error


def test_every_row_names_its_source() -> None:
    assert all(v.source for v in ACCEPTED + REFUSED)
