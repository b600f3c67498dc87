"""Identifying who sent an item, from the places that say so (see the package's docstring)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import parseaddr

from council_papers.senders.registry import (
    NOT_POLICE_ROLES,
    POLICE_ROLES,
    Area,
    Organisation,
    Registry,
    Role,
)

# -- identifying the sender ------------------------------------------------------------------


@dataclass(frozen=True)
class Sender:
    """Who an item is from, and the evidence that says so."""

    name: str | None
    role: Role
    evidence: str
    area: str | None = None
    on_behalf_of: str | None = None

    @property
    def police(self) -> bool:
        """True when the sender is a police body (force, PCC, platform, Action Fraud …)."""
        return self.role in POLICE_ROLES

    @property
    def not_police(self) -> bool:
        """True when the sender is a public body that is not the police."""
        return self.role in NOT_POLICE_ROLES


UNKNOWN = Sender(None, Role.UNKNOWN, "no sender could be identified")

_HOST = re.compile(r"(?:@|https?://|^|\s)((?:[a-z0-9-]+\.)+[a-z]{2,})\b", re.I)
# Mail providers: an address there is a person's, and says nothing about a body.
_WEBMAIL = re.compile(
    r"(?:^|\.)(gmail|googlemail|outlook|hotmail|live|yahoo|icloud|me|aol|btinternet|"
    r"sky|virginmedia|talktalk|protonmail|msn|mac)\.",
    re.I,
)
_GOVDELIVERY = re.compile(r"^\s*(.{3,120}?)\s+sent this bulletin at\b", re.I | re.M)
_BEHALF = re.compile(
    r"\b(?:sent|information sent|message sent|issued)\s+on behalf of\s+(?:the\s+)?([^\n.]{3,120})",
    re.I,
)

# What a body's own name looks like, for senders the registry does not list.
_CAP = r"(?:[A-Z][\w'’&.-]*|and|of|the|&)"
_PATTERNS: tuple[tuple[Role, re.Pattern[str]], ...] = (
    (
        Role.COMMISSIONER,
        re.compile(
            rf"\b(?:Office of the[ \t]+)?(?:Police(?:,| and)? (?:Fire and )?Crime Commissioner"
            rf"(?: for (?:{_CAP}[ \t]*){{1,6}})?|(?:{_CAP}[ \t]+){{1,5}}(?:OPCC|PCC|PFCC))"
        ),
    ),
    (
        Role.FIRE,
        re.compile(rf"\b(?:{_CAP}[ \t]+){{1,5}}Fire (?:and|&) Rescue(?: Service| Authority)?"),
    ),
    (Role.NHS, re.compile(rf"\b(?:(?:{_CAP}[ \t]+){{0,6}}NHS(?:[ \t]+{_CAP}){{0,6}})")),
    (
        Role.COUNCIL,
        re.compile(
            rf"\b(?:{_CAP}[ \t]+){{0,5}}(?:County|District|Borough|City|Town|Parish|Community|"
            rf"Metropolitan Borough|Village)[ \t]+Council\b"
            # "Ouse Fen Council", never "the Council": a name starts with a capital
            rf"|\b(?!(?:The|This|That|Our|Your|Each|Every|Any|Its|Their|A|An)\b)"
            rf"[A-Z][\w'’&.-]*[ \t]+(?:{_CAP}[ \t]+){{0,2}}Council\b"
        ),
    ),
    (
        Role.FORCE,
        re.compile(
            rf"\b(?:{_CAP}[ \t]+){{1,4}}(?:Constabulary|Police)\b"
            # "Police Station", "Police Officers": a building or people, not the force
            r"(?![ \t]+(?:and|Fire|Stations?|Officers?|Headquarters|HQ|Staff|Cars?|Vans?|"
            r"Vehicles?|Federation|Cadets|Volunteers?|Front|Counter|Box|Custody|Buildings?|"
            r"Site|Premises|Estates?)\b)"
        ),
    ),
)
# Words that show an officer or a police team wrote it, whatever the force.
_POLICE_WORDS = re.compile(
    r"\b(?:PCSO|PC|Sgt|Sergeant|Inspector|Insp|Constable|Constabulary|Police Officer|"
    r"(?:Safer |Rural |Community )?Neighbourhood (?:Policing )?Team|Safer Neighbourhood Team|"
    r"Community Safety Unit|Community Policing Team|Police Community Support Officer|"
    r"Rural Crime Team|Neighbourhood Inspector)\b"
)
LOCAL_COUNCIL = re.compile(r"\b(?:parish|town|village|community|neighbourhood) council\b", re.I)
_COMMISSIONER_NAME = re.compile(r"\b(?:O?PCC|PFCC|OPFCC|Commissioner)\b")
_POLICE_BODY = re.compile(
    r"\b(?:police|constabulary|commissioner|pcc|opcc|pfcc|neighbourhood watch|action fraud|"
    r"crimestoppers|council)\b",
    re.I,
)
_URLISH = re.compile(r"^(?:https?://|www\.)", re.I)
_NEWS = re.compile(
    r"\b(?:Gazette|Echo|Herald|Chronicle|Advertiser|Mercury|Observer|Journal|Telegraph|"
    r"Express|Argus|Courier|Live|BBC News|News)\s*$",
    re.I,
)


def _hosts(*values: str | None) -> list[str]:
    hosts = []
    for value in values:
        for m in _HOST.finditer(value or ""):
            hosts.append(m.group(1).lower())
    return hosts


_ADDRESSEE = re.compile(
    r"^\s*(?:to|for|attn|attention|dear)\b|\b(?:report|update|briefing|letter|newsletter|"
    r"bulletin)\s+(?:to|for)\b|\bprepared for\b",
    re.I,
)


def _label_line(line: str) -> bool:
    """True for a line that could name its sender: short, not a sentence, not an addressee."""
    words = line.split()
    if not words or len(words) > 20 or _ADDRESSEE.search(line):
        return False
    if words[0] in ("-", "*", "•", "–") and len(words) >= 5:
        return False  # a point in a list says what happened, not who wrote it
    return not (len(words) >= 5 and line.rstrip().endswith((".", "?", "!", ":")))


def _region(text: str, *, head: int = 6, tail: int = 14) -> tuple[str, str]:
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    return (
        "\n".join(ln for ln in lines[:head] if _label_line(ln)),
        "\n".join(ln for ln in lines[-tail:] if _label_line(ln)),
    )


_ANGLE = re.compile(r"^(.*?)<([^<>@\s]+@[^<>\s]+)>")


def split_address(header: str | None) -> tuple[str, str]:
    """(display name, address) of a From header, also when the name has an unquoted comma."""
    display, address = parseaddr(header or "")
    if "@" not in address:
        m = _ANGLE.match(header or "")
        if m:
            display, address = m.group(1), m.group(2)
    return display.strip().strip('"').strip(), address.strip()


_SHOUTED = re.compile(r"^[^a-z\n]*[A-Z]{2}[^a-z\n]*$", re.M)


def _pattern_body(text: str) -> tuple[Role, str] | None:
    """The first body named by the shape of its name ('X District Council', 'X Fire and Rescue').

    A letterhead in capitals ("WENSUM VALLEY DISTRICT COUNCIL") is read in title case.
    """
    text = _SHOUTED.sub(lambda m: _title(m.group(0)), text)
    best: tuple[int, Role, str] | None = None
    for role, pattern in _PATTERNS:
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), role, m.group(0).strip())
    return (best[1], best[2]) if best else None


def _title(line: str) -> str:
    """A line in capitals as a name is written: "Wensum Valley District Council", acronyms
    (NHS, PCC) and the small words of a name kept as they are written in names."""
    small = {"and", "of", "the", "for"}
    words = []
    for word in line.split(" "):
        if word in _ACRONYMS:
            words.append(word)
        elif word.casefold() in small and words:
            words.append(word.casefold())
        else:
            words.append(word.capitalize())
    return " ".join(words)


_ACRONYMS = frozenset({"NHS", "PCC", "OPCC", "PFCC", "OPFCC", "HQ", "UK"})


def _brand_in(display: str, host: str) -> str | None:
    """The part of a From name that its address spells: a platform's own brand.

    "Herts Alert" at hertsalert.co.uk; "West Mercia Police – Neighbourhood Matters" at
    westmercianeighbourhoodmatters.co.uk is Neighbourhood Matters (the force is whom it
    is sent for).
    """
    labels = host.lower().split(".")[:-1]
    parts = [display, *re.split(r"\s+[–—|:-]\s+", display)]
    for part in reversed(parts[1:] if len(parts) > 2 else parts):
        compact = re.sub(r"[^a-z0-9]", "", part.casefold())
        if len(compact) >= 5 and any(
            label == compact or (len(compact) >= 10 and label.endswith(compact)) for label in labels
        ):
            return part.strip()
    return None


class Identifier:
    """Finds the sender of an item with one registry and the council's own police area."""

    def __init__(self, registry: Registry, home_area: str | None = None) -> None:
        self.registry = registry
        self.home = registry.area(home_area)

    def _force_of(self, text: str) -> Organisation | None:
        """The force the text names (or whose area's bodies it names), else the council's own."""
        named = self.registry.named_in(text)
        for _, org, _ in named:
            if org.role is Role.FORCE:
                return org
        for _, org, _ in named:
            area = self.registry.area_of(org)
            if area and area.force:
                return self.registry.by_name(area.force)
        return self.registry.by_name(self.home.force) if self.home and self.home.force else None

    def _behalf(self, text: str) -> str | None:
        m = _BEHALF.search(text)
        if not m:
            return None
        named = self.registry.named_in(m.group(1))
        return named[0][1].name if named else m.group(1).strip()

    def _platform_name(self, org: Organisation, display: str) -> str:
        # A platform is known by the name the council sees in its inbox, when the From
        # name is the platform's own (not a person's, not "noreply").
        if (
            not display
            or _looks_like_person(display)
            or len(display.split()) > 5
            or "reply" in display.lower()
            or _POLICE_BODY.search(display)
        ):
            return org.name
        # "Cambridgeshire Police <…@neighbourhoodalert.co.uk>" names whom it is sent for
        if any(o.role is not Role.PLATFORM for _, o, _ in self.registry.named_in(display)):
            return org.name
        return display

    def _own_brand(self, org: Organisation, display: str, address: str) -> str | None:
        """A local brand the registry does not list, known by a From name that is its own
        address ("Herts Alert <noreply@hertsalert.co.uk>")."""
        name = self._platform_name(org, display)
        host = address.rsplit("@", 1)[-1].lower() if "@" in address else ""
        if name == org.name or not host:
            return None
        return _brand_in(name, host)

    def identify(
        self,
        *,
        header: str | None,
        site: str | None,
        raw_text: str,
        text: str,
        letterhead: str = "",
        document: bool = False,
    ) -> Sender:
        """Return the sender of an item, strongest evidence first."""
        display, address = split_address(header)
        head, tail = _region(text)
        if letterhead:
            head = "\n".join(ln for ln in letterhead.split("\n") if _label_line(ln)) + "\n" + head
        behalf = self._behalf(raw_text)

        def found(org: Organisation, evidence: str) -> Sender:
            name = (
                self._platform_name(org, display)
                if org.role is Role.PLATFORM and evidence.startswith("the From")
                else org.name
            )
            return Sender(
                name, org.role, evidence, org.area, behalf if org.role is Role.PLATFORM else None
            )

        # 1. the address it came from, and a saved page's site
        for host in _hosts(address, site):
            if _WEBMAIL.search(host):
                continue
            org = self.registry.by_domain(host)
            if org is not None:
                office_line = _PATTERNS[0][1].search(tail) if org.role is Role.FORCE else None
                if office_line is not None and not _COMMISSIONER_NAME.search(display):
                    # the Commissioner's staff often write from the force's mail system:
                    # their signature names the office ("Office of the Police and Crime
                    # Commissioner for Lancashire")
                    office = self._shaped((Role.COMMISSIONER, office_line.group(0)), "", tail)
                    if office.role is Role.COMMISSIONER and office.area == org.area:
                        return Sender(
                            office.name,
                            office.role,
                            f"the signature names {office_line.group(0).strip()}, writing "
                            f"from the force's address ({host})",
                            office.area,
                        )
                if org.role is Role.FORCE and _COMMISSIONER_NAME.search(display):
                    # the Commissioner's office writing from the force's own domain
                    office = self._shaped((Role.COMMISSIONER, display), "", display)
                    if office.role is Role.COMMISSIONER and office.area == org.area:
                        return Sender(
                            office.name,
                            office.role,
                            f"the From name is '{display}', at {host}",
                            office.area,
                        )
                return found(org, f"the From address or site is {org.name}'s ({host})")
        # 2. a GovDelivery dateline names the account that sent it
        m = _GOVDELIVERY.search(raw_text)
        if m:
            account = m.group(1).strip()
            named = self.registry.named_in(account)
            if named:
                return found(named[0][1], f"GovDelivery says '{account}' sent it")
            shape = _pattern_body(account)
            if shape:
                return self._shaped(shape, f"GovDelivery says '{account}' sent it", account)
        # 3. the From name, or the site's name
        for where, value in (("the From name", display), ("the site", site or "")):
            if not value:
                continue
            named = self.registry.named_in(value)
            if named:
                org = named[0][1]
                host = address.rsplit("@", 1)[-1].lower() if where == "the From name" else ""
                platform = self._through_platform(org, host, raw_text)
                if platform is not None:
                    brand = _brand_in(display, host) if where == "the From name" else None
                    return Sender(
                        brand or platform.name,
                        Role.PLATFORM,
                        f"sent for {org.name} through {brand or platform.name} ({host})",
                        platform.area or org.area,
                        org.name,
                    )
                return found(org, f"{where} is '{value}'")
            shape = _pattern_body(value)
            if shape:
                found_shape = self._shaped(shape, f"{where} is '{value}'", text)
                if found_shape.name and found_shape.name in value:
                    # the whole name, as the sender wrote it ("X Police Volunteers")
                    return Sender(value, found_shape.role, found_shape.evidence, found_shape.area)
                return found_shape
            name = " ".join(w for w in value.split() if not _URLISH.match(w))
            if where == "the site" and name and _NEWS.search(name):
                return Sender(name, Role.PRESS, f"the site is '{name}', a news publisher")
        # 4. a platform's footer, the letterhead, the signature block
        flat = " ".join(raw_text.split()).casefold()  # a tagline can wrap onto two lines
        for org in self.registry.organisations:
            names = {n.casefold() for n in org.all_names()}
            for sig in org.signatures:
                # a platform's name in a letter is where to sign up; its footer is evidence
                if sig.casefold() in flat and sig.casefold() not in names:
                    if org.role is Role.PLATFORM and org.area is None:
                        # a generic footer ("Message Sent By"): a local brand at the top,
                        # or its address in the text, says which platform it was
                        local = self._local_platform(head, raw_text)
                        if local is not None:
                            return found(local[0], local[1])
                        brand = self._own_brand(org, display, address)
                        if brand is not None:
                            return Sender(
                                brand,
                                Role.PLATFORM,
                                f"the text carries {org.name}'s footer ('{sig}'), sent as "
                                f"'{brand}' from its own address ({address})",
                                None,
                                behalf,
                            )
                    return found(org, f"the text carries {org.name}'s footer ('{sig}')")
        # a document's letterhead names who issued it, whatever its last page lists
        # (consultees, partners); an email's signature names who wrote it
        if document:
            in_head = self._letterhead_body(head, text)
            if in_head is not None:
                return (
                    found(in_head[0], in_head[1])
                    if isinstance(in_head[0], Organisation)
                    else in_head[0]
                )
        # an address or link in the signature or letterhead ("cpt@essex.police.uk")
        for where, region in (("the signature", tail), ("the letterhead", head)):
            for host in _hosts(region):
                known = self.registry.by_domain(host) if not _WEBMAIL.search(host) else None
                if known is not None and known.role is not Role.PLATFORM:
                    return found(known, f"{where} gives {known.name}'s address ({host})")
        for where, region in (("the letterhead", head), ("the signature", tail)):
            # a platform named in a letter is where to sign up, not who wrote it: platforms
            # are known by their address, their From name or their footer
            named = [n for n in self.registry.named_in(region) if n[1].role is not Role.PLATFORM]
            if named:
                # the signature's last body named is the sender's own line
                _, org, words = named[-1] if where == "the signature" else named[0]
                shape = _pattern_body(region)
                if (
                    shape
                    and words in shape[1]
                    and len(shape[1]) > len(words) + 3
                    and org.role in NOT_POLICE_ROLES
                ):
                    # "Mid and South Essex NHS Foundation Trust", not the registry's "NHS"
                    return Sender(shape[1], org.role, f"{where} names {shape[1]}", org.area)
                return found(org, f"{where} names {words}")
        # 5. signed by an officer or a police team: the force the text names, else ours;
        # then a body named by the shape of its name ("X District Council")
        for region in (tail, head):
            if _POLICE_WORDS.search(region):
                return self._officer(text)
        for where, region in (("the letterhead", head), ("the signature", tail)):
            shape = _pattern_body(region)
            if shape:
                return self._shaped(shape, f"{where} names {shape[1]}", text)
        if address and not _WEBMAIL.search(address.rsplit("@", 1)[-1] + "."):
            host = address.rsplit("@", 1)[-1].lower()
            if host.endswith(".police.uk"):
                return Sender(
                    display or None, Role.FORCE, f"the From address is a police one ({host})"
                )
            if host.endswith((".gov.uk", ".nhs.uk", ".nhs.net")):
                # a public body the registry does not list: the body the text names that
                # shares a word with the address ("worcestershire.gov.uk")
                token = host.split(".")[-3] if host.count(".") >= 2 else host
                for role, pattern in _PATTERNS:
                    for m in pattern.finditer(text):
                        if token.replace("-", "") in m.group(0).lower().replace(" ", ""):
                            return Sender(
                                m.group(0).strip(),
                                role,
                                f"the From address is {host}, which the text names",
                            )
        if display and not _looks_like_person(display) and _ORGISH.search(display):
            return Sender(display, Role.UNKNOWN, f"the From name is '{display}'")
        # a pasted page or newsletter that signs itself only in its sentences: the
        # Commissioner who writes in the first person ("my office", "I have")
        commissioner = _PATTERNS[0][1]
        mentions = len(re.findall(r"\b(?:O?PCC|PFCC|Commissioner)\b", text))
        if (mentions >= 2 and re.search(r"\b(?:my|I)\b", text)) or (
            mentions >= 1 and self.home is not None
        ):
            title = commissioner.search(text)
            return self._shaped(
                (Role.COMMISSIONER, title.group(0) if title else "Commissioner"),
                "the text is the Commissioner's own",
                text,
            )
        return UNKNOWN

    def _local_platform(self, head: str, raw_text: str) -> tuple[Organisation, str] | None:
        """A platform with a local brand, named at the top or by an address in the text."""
        for host in _hosts(raw_text[:3000]):
            org = self.registry.by_domain(host)
            if org is not None and org.role is Role.PLATFORM:
                return org, f"the text gives {org.name}'s address ({host})"
        for _, org, words in self.registry.named_in(head):
            if org.role is Role.PLATFORM and org.area is not None:
                return org, f"the letterhead names {words}"
        return None

    def _letterhead_body(self, head: str, text: str) -> tuple[Organisation | Sender, str] | None:
        """The body a document's first lines name: a known one, else one by its name's shape."""
        named = [n for n in self.registry.named_in(head) if n[1].role is not Role.PLATFORM]
        shape = _pattern_body(head)
        if named and not (shape and head.find(shape[1]) < named[0][0]):
            return named[0][1], f"the letterhead names {named[0][2]}"
        if shape:
            first_lines = "\n".join(text.split("\n")[:12])
            if (
                shape[0] is Role.COUNCIL
                and LOCAL_COUNCIL.search(shape[1])
                and _POLICE_WORDS.search(first_lines)
            ):
                return None  # "PCSO report / X Parish Council": the council it is for
            return self._shaped(shape, f"the letterhead names {shape[1]}", text), ""
        return None

    def _through_platform(self, org: Organisation, host: str, raw_text: str) -> Organisation | None:
        """The messaging platform a police body's message came through, if it did.

        "Staffordshire Police <noreply@staffordshiresmartalert.co.uk>": the From name is
        the force, but the address is not the force's own: the message was sent for it
        by a platform, which is what the clerk writes in FROM (POLICY.md).
        """
        if not host or org.role not in (Role.FORCE, Role.COMMISSIONER) or _WEBMAIL.search(host):
            return None
        if any(host == d or host.endswith("." + d) for d in org.domains) or host.endswith(
            (".police.uk", ".gov.uk", ".govdelivery.com")
        ):
            return None
        flat = " ".join(raw_text.split()).casefold()
        platforms = [o for o in self.registry.organisations if o.role is Role.PLATFORM]
        # the platform's own brand in the text, this area's first
        branded = [
            p
            for p in platforms
            if any(n.casefold() in flat for n in (*p.all_names(), *p.signatures) if len(n) > 4)
        ]
        branded.sort(key=lambda p: p.area != org.area)
        specific = [p for p in branded if p.area]  # a local brand before the national one
        if specific or branded:
            return (specific or branded)[0]
        area = self.registry.area_of(org)
        if area and len(area.platforms) == 1 and re.search(r"alert|messag|know|loop|link", host):
            return self.registry.by_name(area.platforms[0])
        return None

    def _officer(self, text: str) -> Sender:
        force = self._force_of(text)
        if force is None:
            return Sender(None, Role.FORCE, "signed by an officer or police team")
        home = self.home.name if self.home else None
        how = "this council's force" if force.area == home else "the force the text names"
        return Sender(
            force.name, Role.FORCE, f"signed by an officer or police team ({how})", force.area
        )

    def _shaped(self, shape: tuple[Role, str], evidence: str, text: str) -> Sender:
        role, name = shape
        if role is Role.COMMISSIONER:
            area = self._area_in(name) or self._area_in(text)
            org = self.registry.by_name(area.commissioner) if area and area.commissioner else None
            if org is not None:
                return Sender(org.name, org.role, evidence, org.area)
        if role is Role.FORCE:
            force = self._force_of(name)
            if force is not None and force.name.casefold() in name.casefold():
                return Sender(force.name, Role.FORCE, evidence, force.area)
        return Sender(name, role, evidence)

    def _area_in(self, text: str) -> Area | None:
        low = text.casefold()
        for area in sorted(self.registry.areas, key=lambda a: len(a.name), reverse=True):
            if any(
                re.search(rf"\b{re.escape(n.casefold())}\b", low)
                for n in (area.name, *area.aliases, *area.covers)
            ):
                return area
        return self.home


_ORGISH = re.compile(
    r"\b(council|police|constabulary|office|commissioner|trust|association|service|watch|ltd|"
    r"limited|department|partnership|fire|nhs|team|alert|alerts|network|society|charity|group|"
    r"unit|agency|messaging)\b",
    re.I,
)
_PERSON = re.compile(r"^[A-Z][a-z'’-]+(?:,)?\s+(?:[A-Z][a-z'’-]+\s*){1,2}$")


def _looks_like_person(name: str) -> bool:
    return bool(_PERSON.match(name.strip())) and not _ORGISH.search(name)
