"""Generating a county straight into the database."""

from dataclasses import dataclass
from datetime import date

from django.core.management.base import CommandError

from harbour.authority.models import Authority
from harbour.people.models import Child
from harbour.people.search import rebuild_keys
from harbour.synth.county import County
from harbour.synth.loader import DatabaseSink
from harbour.synth.sizes import Size


@dataclass
class Loaded:
    children: int
    rows: int
    truth: list[dict]
    start: date
    end: date


def load_county(size: Size, years: int, seed: int, end: date, rates: dict, progress=None):
    """Generate and write a county; the caller holds the transaction."""
    if Authority.objects.exists() or Child.objects.exists():
        raise CommandError(
            "the database already holds an authority or children; a synthetic county needs an "
            "empty one (start afresh with `harbour flush --no-input`)"
        )
    sink = DatabaseSink(progress=progress)
    county = County(size, years, seed, end, sink, rates)
    truth = county.generate()
    # Rows were written in bulk, past the signals that keep Find a child's index.
    rebuild_keys()
    return Loaded(len(county.children.all), sink.written, truth, county.ctx.start, end)
