"""The guidance pages: short, in the product's own words, each citing the handbook sections it
draws on. The text lives in ``templates/guidance/pages/<slug>.html``; this is the table of them and
the form each main page links to for help."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GuidancePage:
    slug: str
    title: str
    sections: str
    summary: str

    @property
    def template(self) -> str:
        return f"guidance/pages/{self.slug}.html"


PAGES: tuple[GuidancePage, ...] = (
    GuidancePage("what-is-cse", "What child sexual exploitation is", "1, 2",
                 "A form of child abuse in which someone with power over a child trades on it for sexual activity."),
    GuidancePage("models", "How exploitation happens: the three models", "3",
                 "One abuser posing as a friend or partner, contact online, and organised networks that move children."),
    GuidancePage("signs", "Signs and indicators", "5",
                 "What a child's behaviour, health, possessions and company may tell you, and how to record it."),
    GuidancePage("push-pull", "Push and pull factors", "6",
                 "What makes a child more vulnerable, and what abusers offer to draw them in."),
    GuidancePage("trafficking", "Trafficking", "7",
                 "Moving a child from one place to another to abuse them, however short the distance."),
    GuidancePage("language", "Language and labelling", "8",
                 "Words that put the blame on the child, and what to write instead."),
    GuidancePage("roles", "Roles by agency", "10, 11, 13",
                 "What each agency, its named lead and the risk panel are expected to do."),
    GuidancePage("information-sharing", "Sharing information", "12.3, 17",
                 "Why a child's safety comes before confidentiality, and how the product keeps sharing proportionate."),
    GuidancePage("sexual-activity", "Sexual activity under 18: when to assess and refer", "9",
                 "The age bands, the concerns the assessment weighs, and who is told."),
    GuidancePage("return-interviews", "Missing children and return interviews", "14",
                 "Absent and missing, who holds the interview, when it is a priority, and what goes to the police."),
    GuidancePage("board-report", "How the board report is counted", "11.2, 15",
                 "Where each figure in the report to the safeguarding board comes from, and why small counts are hidden."),
)
BY_SLUG = {page.slug: page for page in PAGES}

# The help link each main form shows, by form: the guidance page that helps most while filling it in.
FORM_HELP = {
    "form_a": "signs",
    "observation": "signs",
    "form_b": "models",
    "assessment": "sexual-activity",
    "missing_report": "return-interviews",
}
