"""The weekly digest for kelurahan operators (and TKSK, for their kecamatan): figures, text, chart, workbook."""
