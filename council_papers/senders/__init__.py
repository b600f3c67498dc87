"""Who sent it: the sender registry (every police area's bodies) and the evidence that names one.

The registry is data (templates/organisations.toml): police areas, and for each the
force, whoever holds the PCC role and the community-messaging platforms, plus the
national bodies and the common senders that are not police. A sender is found from
the places that say who sent an item (the From address and name, a GovDelivery
dateline, a saved page's site, a platform's footer, the letterhead and the signature
block), never from how often a body is mentioned in the text: an article *about* the
Commissioner is not *from* the Commissioner.
"""

from __future__ import annotations

from council_papers.senders.identify import (
    LOCAL_COUNCIL,
    UNKNOWN,
    Identifier,
    Sender,
    split_address,
)
from council_papers.senders.registry import (
    NOT_POLICE_ROLES,
    POLICE_ROLES,
    Area,
    Organisation,
    Registry,
    Role,
    find_area,
    load_registry,
)

__all__ = [
    "LOCAL_COUNCIL",
    "NOT_POLICE_ROLES",
    "POLICE_ROLES",
    "UNKNOWN",
    "Area",
    "Identifier",
    "Organisation",
    "Registry",
    "Role",
    "Sender",
    "find_area",
    "load_registry",
    "split_address",
]
