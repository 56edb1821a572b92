"""Narrative slides: panels of text from the deck file, forward-looking statements, contact."""

from __future__ import annotations

from markupsafe import Markup

from reportgen.data.companies import GroupCompany, load_group_companies
from reportgen.data.schema import SlideSpec
from reportgen.errors import DataError
from reportgen.slides.base import BuildContext, SlideKind
from reportgen.slides.bodies import ContactBody, PanelsBody, TextBody
from reportgen.slides.content import (
    Panel,
    PanelsContent,
    RenderedPanel,
    RenderedSection,
    content_error,
    parse_content,
    render_points,
)
from reportgen.slides.reference import ownership_text
from reportgen.slides.shown import FigureText
from reportgen.suggest import did_you_mean


def _company_line(ctx: BuildContext, company: GroupCompany) -> FigureText:
    """``Established April 2008 (100% consolidated subsidiary)``, from group_companies.csv.

    The ownership is a figure (Ref. 3 shows it too): the line carries it, so the
    slide's enumeration lists it with its source. Data text, not commentary: it is
    never evaluated as a template.
    """
    t = ctx.messages
    ownership = ownership_text(company, ctx.numbers)
    kind = t(f"group.kind_{company.group}", ownership=ownership)
    figures = ((company.ownership, ownership),) if company.ownership is not None else ()
    if company.established is not None:
        year, month = company.established
        kind = t("group.established", month=ctx.numbers.month_year(year, month), kind=kind)
    return FigureText(kind, figures)


def _panel(
    ctx: BuildContext, spec: SlideSpec, panel: Panel, companies: dict[str, GroupCompany]
) -> RenderedPanel:
    text = ctx.commentary.text
    title = text(panel.title)
    subtitle: Markup | FigureText = text(panel.subtitle)
    if panel.company:
        company = companies.get(panel.company)
        if company is None:
            # Named where the key is typed (a panel's ``company:``), with the closest key.
            raise DataError(
                f"{ctx.commentary.where_of(panel.company)}: panel company {panel.company!r} "
                f"is not in group_companies.csv{did_you_mean(panel.company, companies)}; "
                f"expected one of {', '.join(companies)}"
            )
        title = title or text(company.name)
        subtitle = subtitle or _company_line(ctx, company)
    return RenderedPanel(title, subtitle, render_points(ctx, panel.points))


def panels(ctx: BuildContext, spec: SlideSpec) -> tuple[PanelsBody, tuple]:
    """Rows of text panels from the deck file; a company panel reads its facts from data."""
    content = parse_content(ctx, spec, PanelsContent)
    needs_companies = any(p.company for s in content.sections for p in s.panels)
    companies = (
        {
            c.key: c
            for c in load_group_companies(ctx.dataset.root, ctx.dataset.sources, ctx.language)
        }
        if needs_companies
        else {}
    )
    sections = tuple(
        RenderedSection(
            ctx.commentary.text(section.heading),
            tuple(_panel(ctx, spec, p, companies) for p in section.panels),
        )
        for section in content.sections
    )
    classes = ("text-large",) if content.text_size == "large" else ()
    return PanelsBody(ctx.commentary.text(content.lead), sections, classes), ()


def forward_looking(ctx: BuildContext, spec: SlideSpec) -> tuple[TextBody, tuple]:
    """The forward-looking statements disclaimer, from company.yaml."""
    statement = ctx.dataset.company.forward_looking_statement
    if not statement:
        raise content_error(ctx, spec, "company.yaml has no forward_looking_statement")
    return TextBody(statement), ()


def contact(ctx: BuildContext, spec: SlideSpec) -> tuple[ContactBody, tuple]:
    """The investor-relations contact, from company.yaml."""
    t = ctx.messages
    info = ctx.dataset.company.contact
    if info is None:
        raise content_error(ctx, spec, "company.yaml has no contact")
    lines = tuple(
        (t(f"contact.{field}"), value)
        for field, value in (
            ("tel", info.tel),
            ("fax", info.fax),
            ("url", info.url),
            ("email", info.email),
        )
        if value
    )
    return ContactBody(info.office, info.address, lines), ()


KINDS = {
    "panels": SlideKind("slides/panels.html", panels, content=PanelsContent),
    "forward_looking": SlideKind(
        "slides/forward_looking.html", forward_looking, "slide.forward_looking"
    ),
    "contact": SlideKind("slides/contact.html", contact, "slide.contact"),
}
