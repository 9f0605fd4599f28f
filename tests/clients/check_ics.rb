# check_ics.rb FILE: read an iCalendar file with Ruby's icalendar gem
# (Debian's ruby-icalendar, the library of Ruby and Rails sites), which
# reads times through the file's own VTIMEZONEs, and print one JSON line
# per event in the shape of check-ics.js, for clients.sh to compare.
# Exit status 1 when the gem cannot read the file.
require 'icalendar'
require 'json'
require 'stringio'

def utc(value)
  if value.is_a?(Icalendar::Values::Date) || value.instance_of?(Date)
    value.strftime('%Y-%m-%d')
  else
    value.to_time.utc.strftime('%Y-%m-%dT%H:%M:%SZ')
  end
end

# RFC 5545 §3.3.6: the end of an event that starts at +start+ (a value in
# the zone of the calendar's VTIMEZONE +tzid+, or in UTC) and lasts +dur+:
# its days and weeks are nominal, the same wall time days later in that
# zone (an hour more or less across a change of the clocks), the rest
# exact. The gem itself gives a DURATION no end.
def add_duration(calendar, start, dur)
  sign = dur.past ? -1 : 1
  days = sign * (dur.weeks * 7 + dur.days)
  rest = sign * ((dur.hours * 60 + dur.minutes) * 60 + dur.seconds)
  return start + days if start.is_a?(Icalendar::Values::Date)

  t = start.to_time
  tzid = start.ical_params['tzid']
  tzid = tzid.first if tzid.is_a?(Array)
  zone = tzid && calendar.timezones.find { |z| z.tzid.to_s == tzid }
  wall = Time.utc(t.year, t.month, t.day, t.hour, t.min, t.sec) + days * 86_400
  base = if zone
           Time.new(wall.year, wall.month, wall.day, wall.hour, wall.min,
                    wall.sec, zone.offset_for_local(wall).to_s)
         else
           t + days * 86_400
         end
  base + rest
end

begin
  calendars = Icalendar::Calendar.parse(File.read(ARGV.fetch(0), encoding: 'UTF-8'))
rescue StandardError => e
  warn "icalendar (Ruby) cannot read #{ARGV[0]}: #{e.class}: #{e.message}"
  exit 1
end
if calendars.length != 1
  warn "#{ARGV[0]}: #{calendars.length} calendars, not 1"
  exit 1
end
calendar = calendars.first
calendar.events.each do |e|
  allday = e.dtstart.is_a?(Icalendar::Values::Date)
  finish = e.dtend ||
           (e.duration && add_duration(calendar, e.dtstart, e.duration)) ||
           (allday ? e.dtstart + 1 : e.dtstart)
  puts JSON.generate(
    'uid' => e.uid.to_s,
    'recurrence_id' => e.recurrence_id && utc(e.recurrence_id),
    'summary' => e.summary.to_s,
    'start_utc' => utc(e.dtstart),
    'end_utc' => utc(finish),
    'allday' => allday,
    'sequence' => e.sequence.to_i,
    'status' => e.status && e.status.to_s,
    'location' => e.location && e.location.to_s
  )
end
