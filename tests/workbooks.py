"""Checks shared by the tests of every workbook we hand out."""

from __future__ import annotations

from openpyxl.utils import get_column_letter


def assert_forwardable(sheet, *, rows: int) -> None:  # type: ignore[no-untyped-def]
    """A sheet Dinas Sosial can forward as it is: headers fit and stay in view, filters, landscape, one page wide."""
    headings = [cell.value for cell in sheet[1]]
    for index, heading in enumerate(headings, start=1):
        assert sheet.column_dimensions[get_column_letter(index)].width > len(heading), heading
        assert sheet.cell(1, index).font.bold
    assert sheet.freeze_panes == "A2" and sheet.print_title_rows == "$1:$1"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(headings))}{rows}"
    # fitToWidth left out means 1 (the OOXML default): XlsxWriter writes it only when it is not 1
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
