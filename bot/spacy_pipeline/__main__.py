import sys
from pathlib import Path

from bot.spacy_pipeline.build import main

if len(sys.argv) != 2:
    sys.exit("usage: python -m bot.spacy_pipeline OUTPUT_DIR")
main(Path(sys.argv[1]))
