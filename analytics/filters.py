"""The shared filters of every page: period, office, integration program, PK — and their URL form."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

# the integration programs whose code is an abbreviation, with the names from the vocabulary (etl/spec.py,
# DATA.md); the other codes are words (ASIMILASI, PIDANA_PENGAWASAN) and read as themselves
PROGRAM_NAMES = {"PB": "Pembebasan Bersyarat", "CB": "Cuti Bersyarat", "CMB": "Cuti Menjelang Bebas",
                 "PIB": "Pidana Bersyarat"}
PRESETS = {"1": "Bulan terakhir", "3": "3 bulan terakhir", "6": "6 bulan terakhir", "12": "12 bulan terakhir",
           "ytd": "Tahun berjalan", "kustom": "Pilih sendiri"}


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Filters:
    """A period [mulai, akhir] (whole months) and optional lists; an empty list means all."""

    mulai: dt.date
    akhir: dt.date
    kode_bapas: tuple[str, ...] = ()
    program_integrasi: tuple[str, ...] = ()
    pk_nip: tuple[str, ...] = ()

    @property
    def months(self) -> int:
        return (self.akhir.year - self.mulai.year) * 12 + self.akhir.month - self.mulai.month + 1

    def previous(self) -> "Filters":
        """The period of the same length just before this one."""
        start = add_months(self.mulai, -self.months)
        return replace(self, mulai=start, akhir=self.mulai - dt.timedelta(days=1))

    def last_year(self) -> "Filters":
        return replace(self, mulai=add_months(self.mulai, -12), akhir=month_end(add_months(self.akhir, -12)))

    def params(self) -> dict:
        """Bound parameters every query of the read side understands."""
        return {"mulai": self.mulai, "akhir": self.akhir, "kode_bapas": list(self.kode_bapas),
                "program_integrasi": list(self.program_integrasi), "pk_nip": list(self.pk_nip)}

    def describe(self) -> dict:
        """The filters as plain values (audit log, downloads)."""
        return {"mulai": self.mulai.isoformat(), "akhir": self.akhir.isoformat(), **{
            k: list(v) for k, v in (("kode_bapas", self.kode_bapas), ("program_integrasi", self.program_integrasi),
                                    ("pk_nip", self.pk_nip)) if v}}


def program_label(code: str) -> str:
    """An integration program as users read it: 'PB' → 'PB – Pembebasan Bersyarat', 'PIDANA_PENGAWASAN' →
    'Pidana Pengawasan'; the code stays the value everywhere else."""
    from analytics import format as fmt
    return f"{code} – {PROGRAM_NAMES[code]}" if code in PROGRAM_NAMES else fmt.code(code)


def preset_period(preset: str, as_of: dt.date) -> tuple[dt.date, dt.date]:
    """Whole months ending with the month of the data's as-of date."""
    end = month_end(as_of)
    if preset == "ytd":
        return dt.date(as_of.year, 1, 1), end
    months = int(preset) if preset.isdigit() else 3
    return add_months(month_start(as_of), -(months - 1)), end


def client_condition(alias: str = "k") -> str:
    """SQL: the client-level filters (office, program, PK), using the bound parameters of `Filters.params`."""
    return (f"(len($kode_bapas) = 0 or list_contains($kode_bapas, {alias}.kode_bapas)) "
            f"and (len($program_integrasi) = 0 or list_contains($program_integrasi, {alias}.program_integrasi)) "
            f"and (len($pk_nip) = 0 or list_contains($pk_nip, {alias}.pk_nip))")


def recorded_months(start: str = "$mulai") -> str:
    """SQL: (kode_bapas, bulan) of the months from `start` (a bound parameter) to $akhir that an office's attendance
    records cover (at least one row of any activity). Participation counts a month only where they do: in an office
    that records no attendance, a client without an attendance row is unknown, not a non-participant."""
    return f"""
        select kode_bapas, bulan
        from bulan_tercatat
        where bulan between date_trunc('month', {start}) and $akhir
          and (len($kode_bapas) = 0 or list_contains($kode_bapas, kode_bapas))"""


def to_query(filters: Filters, preset: str) -> dict[str, str]:
    """The filters as URL query parameters (a shared link reproduces the view)."""
    out = {"periode": preset}
    if preset == "kustom":
        out["dari"], out["sampai"] = filters.mulai.strftime("%Y-%m"), filters.akhir.strftime("%Y-%m")
    for key in ("kode_bapas", "program_integrasi", "pk_nip"):
        values = getattr(filters, key)
        if values:
            out[key] = ",".join(values)
    return out


def from_query(query: dict[str, str], as_of: dt.date) -> tuple[Filters, str]:
    """Filters from URL query parameters; anything unreadable falls back to the default (3 months)."""
    preset = query.get("periode", "3")
    if preset not in PRESETS:
        preset = "3"
    start, end = preset_period(preset if preset != "kustom" else "3", as_of)
    if preset == "kustom":
        try:
            start = dt.datetime.strptime(query["dari"], "%Y-%m").date()
            end = month_end(dt.datetime.strptime(query["sampai"], "%Y-%m").date())
            if end < start:
                start, end = month_start(end), month_end(start)
        except (KeyError, ValueError):
            preset = "3"
    lists = {key: tuple(v for v in query.get(key, "").split(",") if v)
             for key in ("kode_bapas", "program_integrasi", "pk_nip")}
    return Filters(start, end, **lists), preset
