"""Who is looking: roles, which pages they get, and what person-level data they may read."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

ROLES = ("kepala", "pk", "analis", "kanwil", "operator")
ROLE_LABELS = {"kepala": "Kepala Bapas", "pk": "Pembimbing Kemasyarakatan", "analis": "Analis",
               "kanwil": "Kanwil", "operator": "Operator"}
AGGREGATE_ONLY = frozenset({"kanwil", "operator"})

# Pages (file stems under halaman/) each role sees, in menu order; the menu shows only those whose file exists.
MONITORING = ("partisipasi", "anggaran", "hambatan", "mitra", "risiko")
PAGES = {
    "kepala": ("ringkasan", *MONITORING, "jelajah", "laporan", "unggah", "audit", "pengguna"),
    "pk": ("ringkasan", *MONITORING),
    "analis": ("ringkasan", *MONITORING, "jelajah"),
    "kanwil": ("ringkasan", *MONITORING, "laporan"),
    "operator": ("ringkasan", "partisipasi", "anggaran", "hambatan", "mitra", "unggah", "pengguna"),
}


class AccessDenied(PermissionError):
    """The viewer's role does not allow this; the message is for the user (Indonesian)."""


NO_ONE = "-"  # a NIP no client has (person_scope; a caseload outside the chosen PKs)


@dataclass(frozen=True)
class Viewer:
    """The logged-in person as the read side needs them."""

    username: str
    role: str
    pk_nip: str | None = None
    pseudonym_key: str = field(default="", repr=False)  # hex secret from the accounts store

    def __post_init__(self):
        if self.role not in ROLES:
            raise ValueError(f"peran tidak dikenal: {self.role}")

    @property
    def suppressed(self) -> bool:
        """Aggregates shown to this viewer follow the small-number rule."""
        return self.role in AGGREGATE_ONLY

    @property
    def person_level(self) -> str | None:
        """What person-level rows this viewer may see: named, own caseload, pseudonymised, or none."""
        return {"kepala": "nama", "pk": "kasus_sendiri", "analis": "pseudonim"}.get(self.role)


def person_scope(viewer: Viewer, alias: str = "k") -> tuple[str, dict]:
    """SQL condition and parameters limiting person-level rows to what the viewer may see."""
    level = viewer.person_level
    if level is None:
        raise AccessDenied("Peran Anda hanya boleh melihat data agregat, bukan data perorangan.")
    if level == "kasus_sendiri":
        return f"{alias}.pk_nip = $viewer_pk_nip", {"viewer_pk_nip": viewer.pk_nip or NO_ONE}
    return "true", {}


def identity_columns(viewer: Viewer, alias: str = "k") -> tuple[str, dict]:
    """SQL select list for who a row is: names for kepala and pk, a stable pseudonym for analis."""
    if viewer.person_level == "pseudonim":
        if not viewer.pseudonym_key:
            raise AccessDenied("Kunci pseudonim tidak tersedia.")
        return (f"'K-' || upper(left(sha256($pseudonym_key || '|' || {alias}.kode_bapas || '|' || "
                f"{alias}.no_register), 10)) as pseudonim"), {"pseudonym_key": viewer.pseudonym_key}
    person_scope(viewer, alias)  # raises for aggregate-only roles
    return f"{alias}.no_register, {alias}.nama", {}


def caseload(filters, viewer: Viewer):
    """For a PK, the Filters narrowed to their own caseload (what their lists hold); None for the other roles."""
    if viewer.person_level != "kasus_sendiri":
        return None
    nip = viewer.pk_nip or NO_ONE
    return replace(filters, pk_nip=(nip,) if not filters.pk_nip or nip in filters.pk_nip else (NO_ONE,))


def left_out(filters, viewer: Viewer) -> bool:
    """A PK whose PK filter names only other officers: their own caseload, and so their own lists, are empty."""
    return viewer.person_level == "kasus_sendiri" and bool(filters.pk_nip) and viewer.pk_nip not in filters.pk_nip


def figures_scope(filters, viewer: Viewer) -> str | None:
    """What a PK's filtered figures cover, in words, when that is more than their own caseload; else None."""
    own = caseload(filters, viewer)
    if own is None or own == filters:
        return None
    return "seluruh kantor sesuai saringan" if not filters.pk_nip else "klien PK yang dipilih pada saringan"
