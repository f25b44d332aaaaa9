"""Places and indicators: the geo label and catalogue indicator guessed for a figure, and
sentence splitting, each on its own."""

import pytest

from indicators.extract.indicator_guess import guess_geo, guess_indicator, related_indicator
from indicators.extract.sentences import split_sentences

CATALOGUE = [
    {"id": "cargo_tonnage", "name": "Cargo carried", "unit": "t", "category": "volume",
     "description": "Tonnes of freight carried along a route."},
    {"id": "cargo_tonnage_yoy", "name": "Cargo carried: growth", "unit": "%",
     "category": "growth", "description": "Percentage change of cargo_tonnage."},
    {"id": "port_cargo_throughput", "name": "Port cargo throughput", "unit": "t",
     "category": "port", "description": "Tonnes of cargo handled at a port."},
    {"id": "port_cargo_throughput_yoy", "name": "Port cargo throughput: growth", "unit": "%",
     "category": "growth", "description": "Percentage change of port_cargo_throughput."},
    {"id": "freight_trains", "name": "Freight trains", "unit": "trains", "category": "volume",
     "description": "Freight trains run or passing a point."},
    {"id": "container_trains", "name": "Container trains", "unit": "trains",
     "category": "volume", "description": "Container (block) trains along a route."},
]


@pytest.mark.parametrize(
    ("sentence", "unit", "expected"),
    [("Kazakhstan’s Aktau seaport handled over 1.1 million tons of cargo.", "t",
      "port_cargo_throughput"),
     ("Cargo carried along the TITR reached 4.5 million tons.", "t", "cargo_tonnage"),
     ("125 container trains transited Kazakhstan.", "trains", "container_trains"),
     ("3,650 China-Europe trains passed through Khorgos.", "trains", "freight_trains")],
)
def test_indicator_is_the_catalogue_entry_whose_words_and_unit_fit(sentence, unit, expected):
    guess, score = guess_indicator(sentence, unit=unit, role="level", status="reported",
                                   catalogue=CATALOGUE)
    assert guess == expected and 0 < score <= 1


def test_no_indicator_when_no_catalogue_unit_fits():
    assert guess_indicator("1,200 vessels called", unit="vessels", role="level",
                           status="reported", catalogue=CATALOGUE) == ("", 0.0)


def test_a_change_takes_the_change_indicator_of_its_level():
    assert related_indicator("port_cargo_throughput", unit="%", role="change",
                             catalogue=CATALOGUE) == "port_cargo_throughput_yoy"


@pytest.mark.parametrize(
    ("sentence", "geo"),
    [("125 container trains transited Kazakhstan via the Middle Corridor.",
      "TITR via Kazakhstan (rail)"),
     ("Cargo along the Trans-Caspian route grew.", "TITR (Middle Corridor)"),
     ("The Aktau seaport handled 1.1 million tons.", "Aktau port, KZ"),
     ("Baku International Sea Trade Port handled 8 million tons.", "Baku port (Alat), AZ"),
     ("Trains passed the Khorgos and Alashankou checkpoints.",
      "Khorgos + Alashankou (CN-KZ border)"),
     ("The Khorgos Gateway Dry Port handled 372,000 TEUs.", "Khorgos Gateway dry port, KZ"),
     ("Rail cargo between Kazakhstan and China reached 32 million tons.",
      "Kazakhstan-China rail"),
     ("The weather was fine.", "")],
)
def test_geo_is_guessed_from_place_names(sentence, geo):
    assert guess_geo(sentence) == geo


def test_sentences_split_at_full_stops_but_not_at_abbreviations_or_decimals():
    text = ("Cargo reached 32.5 million tons, the committee reported on Jan. 16. The U.S. side "
            "agreed.\nKZT/USD = 0.00205 0%")
    assert [s.text for s in split_sentences(text)] == [
        "Cargo reached 32.5 million tons, the committee reported on Jan. 16.",
        "The U.S. side agreed.", "KZT/USD = 0.00205 0%"]
