"""Classification: kind, themes, disposition and the reasons, from the clerk's rules file."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from council_papers.classify.duplicates import DuplicateIndex
from council_papers.classify.engine import judge
from council_papers.classify.matching import RegexTimeout
from council_papers.classify.precedents import FOLLOW, Precedent, closest, precedents_from
from council_papers.classify.rules import Fields, Rule, Ruleset, load_rules
from council_papers.classify.signals import Signals, read_signals
from council_papers.clean import drop_sent_by
from council_papers.keys import record_key
from council_papers.models import Classified, Correspondence, Decision, Disposition, Kind
from council_papers.personal import ArticleFindings, ItemFindings, find, is_personal_email
from council_papers.read.eml import attached_texts

__all__ = [
    "Precedent",
    "Ruleset",
    "Trial",
    "classify_all",
    "explain",
    "load_rules",
    "precedents_from",
]


_WHERE = {
    "subject": "subject",
    "sender": "sender",
    "body": "text",
    "all": "subject, sender or text",
}
# Regexes that match any item: such a rule is decided by its conditions (unless,
# formats, min_articles), so its reason is its `explain`, not the matched text.
CATCH_ALL = frozenset({r"\w", r"\S", ".", ".*", ".+"})


@dataclass(frozen=True)
class Trial:
    """One rule tried on one item: did it match, and why or why not."""

    rule: Rule
    matched: bool
    detail: str
    timed_out: bool = False  # the rule's regex was stopped: the item needs a look


def _conditions(rule: Rule, signals: Signals | None) -> str | None:
    """Why a rule's conditions on the signals rule it out, or None when they allow it."""
    if signals is None:
        return None
    if rule.sender_roles and signals.role not in rule.sender_roles:
        return f"only for items from {', '.join(rule.sender_roles)}; this is from {signals.role}"
    if rule.addressed_to and signals.addressed != rule.addressed_to:
        return f"only for items addressed to the {rule.addressed_to}"
    if rule.open_call is not None and (signals.call_state == "open") != rule.open_call:
        return (
            "only for items with an open call"
            if rule.open_call
            else "only for items with no open call"
        )
    if rule.decided_kinds:
        kind = judge(signals).kind
        if kind not in rule.decided_kinds:
            return f"only for items the built-in policy reads as {', '.join(rule.decided_kinds)}"
    return None


def try_rule(
    rule: Rule, record: Correspondence, fields: Fields | None = None, signals: Signals | None = None
) -> Trial:
    """Apply one rule to one record and say what happened.

    *fields*: the record's texts, shared between the rules tried on it; *signals*:
    what the built-in policy read off it, for a rule's conditions.
    """
    ruled_out = _conditions(rule, signals)
    if ruled_out:
        return Trial(rule, False, ruled_out)
    fmt = str(record.format) if record.format else ""
    if rule.formats and fmt not in rule.formats:
        return Trial(rule, False, f"only for {', '.join(rule.formats)} files; this is {fmt}")
    if len(record.articles) < rule.min_articles:
        return Trial(
            rule, False, f"needs {rule.min_articles}+ articles; found {len(record.articles)}"
        )
    fields = fields or Fields(record)
    text, words = fields.text(rule.field), fields.words(rule.field)
    try:
        hits = rule.matcher.search(text, words)
        blocked = rule.unless.search(text, words) if hits and rule.unless else None
    except RegexTimeout as err:  # a clerk's regex that backtracks: named, never hung on
        # flagged on the item it was stopped on; later items just say it was not tried
        return Trial(rule, False, f"rule '{rule.name}': {err}", timed_out=not err.repeated)
    where = _WHERE[rule.field]
    if not hits:
        missing = {"any": "none of its words", "all": "not all of its words"}
        return Trial(rule, False, f"{where}: {missing.get(rule.matcher.type, 'no match')}")
    if blocked:
        return Trial(rule, False, f"{where} contains '{blocked[0]}' (unless)")
    if rule.every or rule.matcher.text in CATCH_ALL:  # the rule's own words say why
        return Trial(rule, True, rule.explain or "applies to every item its conditions allow")
    shown = " and ".join(f"'{' '.join(h.split())}'" for h in dict.fromkeys(hits))
    return Trial(rule, True, f"{where} contains {shown}")


def explain(record: Correspondence, ruleset: Ruleset) -> tuple[Trial, ...]:
    """Try every rule in order (not stopping at the first match), for `explain`."""
    fields = Fields(record)
    signals = read_signals(record)
    return tuple(try_rule(rule, record, fields, signals) for rule in ruleset.rules)


def _themes(fields: Fields, ruleset: Ruleset) -> tuple[str, ...]:
    found = [a.theme for a in fields.record.articles if a.theme]
    for theme in ruleset.themes:
        if theme.matcher and theme.matcher.search(
            fields.text(theme.field), fields.words(theme.field)
        ):
            found.append(theme.name)
    order = [t.name for t in ruleset.themes]
    unique = dict.fromkeys(found)
    return tuple(sorted(unique, key=lambda t: order.index(t) if t in order else len(order)))


def decide(record: Correspondence, ruleset: Ruleset) -> Decision:
    """Decide kind and disposition by the first matching rule; themes from every theme rule."""
    fields = Fields(record)
    themes = _themes(fields, ruleset)
    if not record.text.strip():
        return Decision(
            kind=ruleset.default_kind,
            disposition=ruleset.default_disposition,
            reasons=(
                "no text: nothing could be read from it"
                + (" (a scan needs OCR)" if str(record.format) == "pdf" else "")
                + ": please check it by eye",
            ),
            needs_review=True,
        )
    signals = read_signals(record)
    stopped: list[str] = []
    skipped: list[str] = []
    for rule in ruleset.rules:
        trial = try_rule(rule, record, fields, signals)
        if trial.timed_out:
            stopped.append(trial.detail)
        elif "earlier in this run" in trial.detail and "was stopped" in trial.detail:
            skipped.append(trial.detail)
        if trial.matched:
            why = f": {rule.explain}" if rule.explain and trial.detail != rule.explain else ""
            reason = f"{trial.detail} → {rule.kind} → {rule.disposition} (rule '{rule.name}'{why})"
            decision = Decision(
                kind=rule.kind,
                disposition=rule.disposition,
                themes=themes,
                reasons=(reason,),
                needs_review=not rule.confident,
                rule=rule.name,
                deadline=signals.deadline if signals.call_state == "open" else None,
            )
            break
    else:
        verdict = judge(signals)
        decision = Decision(
            kind=verdict.kind,
            disposition=verdict.disposition,
            themes=themes,
            reasons=verdict.reasons,
            needs_review=verdict.needs_review,
            deadline=verdict.deadline,
        )
    if stopped:
        decision = replace(
            decision,
            needs_review=True,
            reasons=(*decision.reasons, *(f"please check: {s}" for s in stopped)),
        )
    if skipped:
        decision = replace(decision, reasons=(*decision.reasons, *skipped))
    return _with_personal_data(record, decision)


def _personal_data(record: Correspondence, kind: str) -> ItemFindings:
    """Find the personal data in each part of *record* the pack prints, and in its addresses.

    Found once, here: the log keeps the findings and the pack replaces them, so
    the log's Personal data flag and the pack agree. Each part is looked at as the
    pack prints it: texts without Neighbourhood Alert's sender block, the sender's
    organisation by the rules for no kind, articles only in a newsletter (the pack
    prints another item's text whole). Should the pack print a part otherwise
    (the clerk makes it a newsletter), its findings do not fit what is printed and
    it looks again: slower, never wrong.
    """
    articles = record.articles if kind == Kind.NEWSLETTER else ()
    return ItemFindings(
        subject=find(record.subject or "", kind),
        sender_org=find(record.sender_org or "", None),
        text=find(drop_sent_by(record.text), kind),
        articles=tuple(
            ArticleFindings(find(a.headline or "", kind), find(drop_sent_by(a.text), kind))
            for a in articles
        ),
        private_sender=is_personal_email(record.sender or ""),
        private_forwarder=is_personal_email(record.forwarded_by or ""),
    )


def _with_personal_data(record: Correspondence, decision: Decision) -> Decision:
    """Record on *decision* the personal data found in *record*, and say in its reasons what."""
    findings = _personal_data(record, decision.kind)
    private = [
        what
        for what, found in (
            ("their contact details or name", findings.in_print),
            ("a forwarder's private email address", findings.private_forwarder),
            ("the sender's private email address", findings.private_sender),
        )
        if found
    ]
    if not private:
        return replace(decision, findings=findings)
    return replace(
        decision,
        findings=findings,
        personal_data=True,
        reasons=(*decision.reasons, f"names a private individual: {'; '.join(private)}"),
    )


def label_for(record: Correspondence) -> str:
    """How a record is named in a duplicate reason: its file name."""
    return Path(record.path).name


def _learned(
    record: Correspondence, decision: Decision, precedents: Sequence[Precedent]
) -> Decision:
    """Follow the clerk where they corrected the policy on an item closely like this one."""
    if decision.rule is not None or not precedents:
        return decision  # a rule the clerk wrote is never overridden
    match = closest(Classified.of(record, decision), precedents, decision.disposition)
    if match is None:
        return decision
    like = match.precedent.described()
    if match.score >= FOLLOW:
        return replace(
            decision,
            disposition=match.precedent.disposition,
            reasons=(
                f"{like} ({match.score:.0f}% alike) → {match.precedent.disposition} "
                f"(your earlier decision, not the policy's {decision.disposition})",
                *decision.reasons,
            ),
        )
    return replace(
        decision,
        needs_review=True,
        reasons=(*decision.reasons, f"please check: {like} ({match.score:.0f}% alike)"),
    )


def classify_all(
    records: Sequence[Correspondence],
    ruleset: Ruleset,
    held: Iterable[tuple[str, str, str]] = (),
    precedents: Sequence[Precedent] = (),
) -> tuple[Classified, ...]:
    """Classify every record; later copies of an item are excluded as duplicates.

    *held* are items already in the log, as (label, key, text): a new record that
    duplicates one of them is excluded too, naming it. *precedents* are the clerk's
    corrections in the log: an item like one of them follows the clerk.
    """
    index = DuplicateIndex(threshold=ruleset.near_duplicate)
    for label, key, text in held:
        index.add(label, key, text)
    out = []
    for record in records:
        decision = _learned(record, decide(record, ruleset), precedents)
        dup = index.find_or_add(
            label_for(record),
            record_key(record),
            record.text,
            attached_texts(record.text, record.attachments),
        )
        if dup is not None:
            original, how = dup
            decision = replace(
                decision,
                disposition=Disposition.EXCLUDED,
                duplicate_of=original.label,
                needs_review=False,
                reasons=(f"duplicate of {original.label} ({how}) → excluded", *decision.reasons),
            )
        out.append(Classified.of(record, decision))
    return tuple(out)
