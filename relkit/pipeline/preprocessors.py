"""nbconvert Preprocessors that relkit's templates switch on in their conf.json
(nbconvert's way: TagRemovePreprocessor and friends, enabled by configuration)."""
from __future__ import annotations

from nbconvert.preprocessors import Preprocessor


def client_output(output) -> bool:
    """What may reach a client: never a stderr stream nor an error (a traceback)."""
    if output.get("output_type") == "error":
        return False
    return not (output.get("output_type") == "stream" and output.get("name") == "stderr")


class ClientOutputsPreprocessor(Preprocessor):
    """Drop stderr streams, error outputs and the widget state from the page."""

    def preprocess(self, nb, resources):
        nb.metadata.pop("widgets", None)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", []) if client_output(o)]
        return cell, resources
