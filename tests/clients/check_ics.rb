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
calendars.first.events.each do |e|
  allday = e.dtstart.is_a?(Icalendar::Values::Date)
  finish = e.dtend || (allday ? e.dtstart + 1 : e.dtstart)
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
