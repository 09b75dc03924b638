"""Reading uploaded sheets (CSV or XLSX) into numbered rows keyed by normalised header.

Real sheets carry title rows above the header, stray spaces and mixed-case headers; the reader
finds the header row, lower-cases and tidies its names, and numbers rows as a spreadsheet user
sees them (the header's own line is counted), so an error can say "baris 17".
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field

from .codes import clean_text

HEADER_SEARCH_ROWS = 20


class SheetError(Exception):
    """The file as a whole cannot be read (not a sheet, wrong encoding, no header)."""

    def __init__(self, message, row=None):
        super().__init__(message)
        self.message = message
        self.row = row


@dataclass
class Sheet:
    headers: list
    rows: list = field(default_factory=list)  # (row number, {header: text})


def normalise_header(value):
    return clean_text(value).lower()


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(value)


def _csv_rows(data, name):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SheetError(
            f"Berkas {name} tidak ber-encoding UTF-8 (baris {line}): simpan ulang sebagai 'CSV UTF-8'.", row=line
        ) from error
    if "\x00" in text:
        raise SheetError(f"Berkas {name} bukan lembar kerja CSV atau XLSX.")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def _xlsx_rows(data, name):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken workbook
        raise SheetError(f"Berkas {name} tidak dapat dibaca sebagai XLSX: {error}") from error
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_sheet(source, *, name=None, required=(), aliases=None):
    """Read a CSV or XLSX file (path, bytes or file object).

    `aliases` maps a canonical column name to the header texts (or header prefixes ending with
    '*') that mean it; `required` lists canonical names that must be present.
    Returns a Sheet whose rows are dicts keyed by canonical names (other columns by their header).
    """
    if hasattr(source, "read"):
        data = source.read()
        name = name or getattr(source, "name", "berkas")
    elif isinstance(source, bytes):
        data = source
        name = name or "berkas"
    else:
        name = name or str(source)
        with open(source, "rb") as handle:
            data = handle.read()
    if not data.strip():
        raise SheetError(f"Berkas {name} kosong.")
    if data[:2] == b"PK" and zipfile.is_zipfile(io.BytesIO(data)):
        raw_rows = _xlsx_rows(data, name)
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise SheetError(f"Berkas {name} berformat XLS lama: simpan ulang sebagai XLSX atau CSV.")
    else:
        raw_rows = _csv_rows(data, name)

    aliases = aliases or {}

    def canonical(header):
        for key, texts in aliases.items():
            for text in texts:
                if header == text or (text.endswith("*") and header.startswith(text[:-1])):
                    return key
        return header

    for index, raw in enumerate(raw_rows[:HEADER_SEARCH_ROWS]):
        headers = [canonical(normalise_header(v)) for v in raw]
        if all(r in headers for r in required):
            break
    else:
        missing = ", ".join(aliases.get(r, [r])[0] for r in required)
        raise SheetError(f"Berkas {name}: baris judul dengan kolom {missing} tidak ditemukan dalam {HEADER_SEARCH_ROWS} baris pertama.")

    sheet = Sheet(headers=headers)
    for offset, raw in enumerate(raw_rows[index + 1 :], start=index + 2):
        values = [_cell_text(v) for v in raw]
        if not any(values):
            continue
        row = {}
        for header, value in zip(headers, values):
            if header and header not in row:
                row[header] = value
        sheet.rows.append((offset, row))
    return sheet
