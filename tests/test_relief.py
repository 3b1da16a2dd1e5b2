"""Relief navigation on the pure module."""
from skill import relief
from skill.relief import Move


def test_steps_follow_the_article_in_spasm_first_then_home_care():
    assert relief.STEPS[:4] == ("lie_back", "breathing", "roller", "avoid_moves")
    assert relief.STEPS[relief.HOME_CARE_START] == "heat_or_ice"
    assert len(relief.STEPS) == 8


def test_next_walks_every_step_then_finishes():
    index, seen = None, []
    while True:
        position = relief.navigate(index, Move.NEXT if index is not None else Move.START_OVER)
        if position.finished:
            break
        seen.append(position.index)
        index = position.index
    assert seen == list(range(len(relief.STEPS)))
    assert relief.navigate(relief.LAST, Move.NEXT).note == "finished"


def test_previous_stops_at_the_first_step_and_says_so():
    assert relief.navigate(3, Move.PREVIOUS).index == 2
    first = relief.navigate(0, Move.PREVIOUS)
    assert first.index == 0 and first.note == "at_start"


def test_repeat_and_start_over():
    assert relief.navigate(5, Move.REPEAT).index == 5
    assert relief.navigate(5, Move.START_OVER).index == 0


def test_odd_indexes_are_clamped():
    assert relief.clamp("7") == 7
    assert relief.clamp(99) == relief.LAST
    assert relief.clamp(-4) == 0
    assert relief.clamp(None) == 0
    assert relief.clamp("abc") == 0


def test_go_to_uses_spoken_numbers_from_one():
    assert relief.go_to(1) == 0
    assert relief.go_to(8) == 7
    assert relief.go_to(0) is None
    assert relief.go_to(9) is None
    assert relief.go_to(None) is None
