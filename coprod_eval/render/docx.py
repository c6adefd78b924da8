"""report.docx from report.html: the same sections, sentences and tables, editable, for board
papers (python-docx).

Like report.pdf, it is made from the run's own report.html, so the three cannot disagree:
headings stay headings (Word's navigation pane lists them), tables stay tables with their
header rows, lists stay lists, and each chart becomes a picture (drawn from its SVG by
vl-convert) carrying its description as the picture's alternative text and as its caption.
Pages are A4, with the project's name and "Page N of M" in the footer.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from ..base.errors import UsageError

DOCX_FILE = "report.docx"
ALREADY = "{path} already exists; coprod-eval never overwrites a run's files"
NOT_A_REPORT = "{path} is not a coprod-eval report.html (no <main> element)"
HEADING_LEVELS = {"h1": 0, "h2": 1, "h3": 2, "h4": 3}
SKIPPED = ("style", "script", "template")
CHART_WIDTH_CM = 16.0
SVG = re.compile(r"<svg\b.*?</svg>", re.S)


def write_docx(html: Path, docx: Path) -> Path:
    """Write ``docx`` (which must not exist yet) from the report ``html``."""
    if docx.exists():
        raise UsageError(ALREADY.format(path=docx))
    partial = docx.with_name(f".{docx.name}.partial")
    try:
        document_from_html(html.read_text(encoding="utf-8"), html).save(partial)
        partial.rename(docx)
    finally:
        partial.unlink(missing_ok=True)
    return docx


def document_from_html(text: str, where: Path | str = "report.html"):
    import docx
    import lxml.html

    # SVG is kept as written (the HTML parser would lowercase viewBox and the like)
    svgs = iter(SVG.findall(text))
    tree = lxml.html.fromstring(SVG.sub("<svg></svg>", text))
    main = tree.find(".//main")
    if main is None:
        raise UsageError(NOT_A_REPORT.format(path=where))
    title = " ".join((tree.findtext(".//title") or "").split())
    document = docx.Document()
    _page_setup(document, title)
    document.core_properties.title = title
    document.core_properties.author = "coprod-eval"
    _Writer(document, svgs).block(main)
    return document


def _page_setup(document, footer_text: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(18)
        section.top_margin, section.bottom_margin = Mm(16), Mm(18)
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        paragraph.add_run(f"{footer_text}    Page ")
        _field(paragraph, "PAGE")
        paragraph.add_run(" of ")
        _field(paragraph, "NUMPAGES")
        for run in paragraph.runs:
            run.font.size = Pt(8)
    document.styles["Normal"].font.size = Pt(10)


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) Word fills in when it lays the document out."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _skipped(element) -> bool:
    classes = (element.get("class") or "").split()
    return (not isinstance(element.tag, str) or element.tag in SKIPPED or "no-print" in classes
            or element.get("aria-hidden") == "true")


def _words(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "")


class _Writer:
    """Walks the report's HTML in document order, adding what each element is to Word."""

    def __init__(self, document, svgs):
        self.document = document
        self.svgs = svgs

    def block(self, element) -> None:
        for child in element:
            if _skipped(child):
                continue
            tag = child.tag
            if tag in HEADING_LEVELS:
                heading = self.document.add_heading(level=HEADING_LEVELS[tag])
                heading.add_run(_words(child.text_content()).strip())
            elif tag == "p":
                self.paragraph(child, bold="headline" in (child.get("class") or "").split())
            elif tag in ("ul", "ol"):
                self.listing(child, numbered=tag == "ol")
            elif tag == "table":
                self.table(child)
            elif tag == "figure":
                self.figure(child)
            elif tag == "details":
                summary = child.find("summary")
                if summary is not None:
                    self.paragraph(summary, bold=True)
                self.block(child)
            elif tag in ("summary", "caption", "figcaption"):
                continue  # written with their parent
            elif tag == "svg":
                next(self.svgs, None)  # a chart outside a figure: its figure says it all
            else:  # section, div, main, nav, footer, header, article
                self.block(child)

    def paragraph(self, element, *, style: str | None = None, bold: bool = False,
                  prefix: str = ""):
        paragraph = self.document.add_paragraph(style=style)
        if prefix:
            paragraph.add_run(prefix)
        self.inline(paragraph, element, bold=bold)
        # trim the whitespace the HTML's line breaks left at either end
        if paragraph.runs:
            paragraph.runs[0].text = paragraph.runs[0].text.lstrip()
            paragraph.runs[-1].text = paragraph.runs[-1].text.rstrip()
        return paragraph

    def inline(self, paragraph, element, *, bold: bool = False, first: bool = True) -> None:
        if first and element.text:
            self._run(paragraph, element.text, bold)
        for child in element:
            if not _skipped(child):
                if child.tag == "br":
                    paragraph.add_run().add_break()
                elif child.tag in ("ul", "ol", "table", "figure", "details", "p"):
                    pass  # blocks inside a list item are written after it
                else:
                    strong = bold or child.tag in ("strong", "b", "th")
                    if child.tag == "q":
                        self._run(paragraph, "“", strong)
                    if child.text:
                        self._run(paragraph, child.text, strong)
                    self.inline(paragraph, child, bold=strong, first=False)
                    if child.tag == "q":
                        self._run(paragraph, "”", strong)
            if child.tail:
                self._run(paragraph, child.tail, bold)

    @staticmethod
    def _run(paragraph, text: str, bold: bool) -> None:
        text = _words(text)
        if text:
            paragraph.add_run(text).bold = bold or None

    def listing(self, element, *, numbered: bool) -> None:
        items = [li for li in element if li.tag == "li" and not _skipped(li)]
        for number, item in enumerate(items, 1):
            style = "List Paragraph" if numbered else "List Bullet"
            # Word's own numbering would run on from the list before
            prefix = f"{number}. " if numbered else ""
            lines = [p for p in item if p.tag == "p" and not _skipped(p)]
            if lines:  # a tile: its name in bold, then one paragraph per line
                self.paragraph(lines[0], style=style, prefix=prefix, bold=True)
                for line in lines[1:]:
                    self.paragraph(line, style="List Continue")
            else:
                self.paragraph(item, style=style, prefix=prefix)
            for inner in item:
                if inner.tag in ("ul", "ol"):
                    self.listing(inner, numbered=inner.tag == "ol")
                elif inner.tag in ("table", "figure", "details"):
                    self.block(_Only(inner))

    def table(self, element) -> None:
        from docx.shared import Pt

        caption = element.find("caption")
        if caption is not None:
            self.paragraph(caption, style="Caption")
        rows = list(element.iter("tr"))
        if not rows:
            return
        width = max(sum(int(cell.get("colspan", 1)) for cell in tr if cell.tag in ("td", "th"))
                    for tr in rows)
        table = self.document.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for r, tr in enumerate(rows):
            header = tr.getparent().tag == "thead"
            if header:
                _repeat_as_header(table.rows[r])
            c = 0
            for cell in (x for x in tr if x.tag in ("td", "th")):
                span = int(cell.get("colspan", 1))
                target = table.cell(r, c)
                if span > 1:
                    target = target.merge(table.cell(r, c + span - 1))
                paragraph = target.paragraphs[0]
                self.inline(paragraph, cell, bold=cell.tag == "th")
                for run in paragraph.runs:
                    run.font.size = Pt(9)
                if paragraph.runs:
                    paragraph.runs[0].text = paragraph.runs[0].text.lstrip()
                    paragraph.runs[-1].text = paragraph.runs[-1].text.rstrip()
                c += span
        self.document.add_paragraph()

    def figure(self, element) -> None:
        from docx.shared import Cm

        caption = _words(element.findtext(".//figcaption") or "").strip()
        svg = next(self.svgs, None) if element.find(".//svg") is not None else None
        if svg is not None:
            import vl_convert

            png = vl_convert.svg_to_png(svg, scale=2.0)
            run = self.document.add_paragraph().add_run()
            shape = run.add_picture(io.BytesIO(png), width=Cm(CHART_WIDTH_CM))
            # the picture's alternative text, read by screen readers in Word
            shape._inline.docPr.set("descr", caption)
            shape._inline.docPr.set("title", caption[:120])
        if caption:
            self.document.add_paragraph(caption, style="Caption")


def _repeat_as_header(row) -> None:
    """Mark a table row as a header row (repeated on each page, announced as headers)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


class _Only:
    """A one-element container, so ``block`` can write a single element."""

    def __init__(self, element):
        self.element = element

    def __iter__(self):
        return iter([self.element])
