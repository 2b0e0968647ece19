"""Which email addresses reach the same person's mailbox."""

from __future__ import annotations


def normalize_mailbox(email: str | None) -> str | None:
    """The mailbox an address delivers to: lower case, without a ``+tag`` suffix.

    ``Ana.Diaz+beta@Example.com`` and ``ana.diaz@example.com`` are one mailbox, so cooldowns
    and caps cannot be dodged by writing an address differently.
    """
    if not email:
        return None
    address = email.strip().lower()
    local, at, domain = address.rpartition("@")
    if not at:
        return address
    local = local.split("+", 1)[0]
    return f"{local}@{domain}"
