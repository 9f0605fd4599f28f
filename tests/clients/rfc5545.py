"""RFC 5545 arithmetic the client checks share (check_ics.py,
check_vobject.py), where the libraries they drive do not do it."""

import datetime

UTC = datetime.timezone.utc


def add_duration(start, duration):
    """RFC 5545 §3.3.6: the end of an event that starts at @start and lasts
    @duration (a timedelta): its days are nominal, the same wall time days
    later in @start's zone (an hour more or less across a change of the
    clocks), the rest exact. The timedelta holds no difference between
    P1D and PT24H; evfeed writes whole days as days."""
    if not isinstance(start, datetime.datetime):
        return start + duration
    days = datetime.timedelta(days=duration.days)
    wall = start.replace(tzinfo=None) + days
    zone = start.tzinfo
    if hasattr(zone, 'localize'):
        # pytz: a wall time that occurs twice is the first (summer) one,
        # one that does not exist is read with the offset before the gap
        import pytz
        try:
            local = zone.localize(wall, is_dst=None)
        except pytz.AmbiguousTimeError:
            local = zone.localize(wall, is_dst=True)
        except pytz.NonExistentTimeError:
            local = zone.localize(wall, is_dst=False)
    else:
        local = wall.replace(tzinfo=zone, fold=0)
    return local.astimezone(UTC) + (duration - days)
