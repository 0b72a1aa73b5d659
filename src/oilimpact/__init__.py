"""oilimpact — how the oil price and sanctions move Russia's budget.

Stages, one module each: ``figures`` (numbers and events pulled from articles), the scenario model,
``charts`` (house-style matplotlib), ``render``/``export`` (papermill batch, HTML, PDF), ``cli``.
Importing the package has no side effects.
"""

from oilimpact.errors import OilImpactError

__version__ = "0.1.0"
__all__ = ["OilImpactError", "__version__"]
