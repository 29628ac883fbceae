"""The PowerPoint restitution: a deck described by ``model`` (slides, native
charts, images, notes), written with python-pptx by ``write``. The data comes
from relkit.workbooks.deck (the figures and tables the workbooks recorded)."""
from relkit.views.deck.model import ChartSpec, Deck, Slide, TableSpec
from relkit.views.deck.write import write_deck

__all__ = ["ChartSpec", "Deck", "Slide", "TableSpec", "write_deck"]
