"""The yardstick an evaluation is examined against, as data: the framework and its
principles and indicators, the ladder of levels, the survey instrument, the measures that
turn a stream into an indicator's value, and the partnership's own plan."""
