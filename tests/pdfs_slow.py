"""A PDF built to be slow to read: a flat page tree of many leaves that pypdf walks one by one."""


def slow_pdf(pages: int = 100_000) -> bytes:
    """About 4 MB for 100 000 pages; pypdf needs ~6 s of CPU to count them (no xref: it rebuilds one)."""
    kids = b" ".join(b"%d 0 R" % n for n in range(3, 3 + pages))
    parts = [b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n",
             b"2 0 obj<</Type/Pages/Count %d/Kids[" % pages + kids + b"]>>endobj\n"]
    parts += [b"%d 0 obj<</Type/Page/Parent 2 0 R>>endobj\n" % n for n in range(3, 3 + pages)]
    parts.append(b"trailer<</Root 1 0 R>>\nstartxref\n0\n%%EOF\n")
    return b"".join(parts)
