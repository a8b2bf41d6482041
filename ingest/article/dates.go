package article

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/araddon/dateparse"
)

// earliestDate is the sanity floor for publication dates: the online news
// this project reads did not exist before 1995.
var earliestDate = time.Date(1995, 1, 1, 0, 0, 0, 0, time.UTC)

// dateLayouts are tried in order before the general-purpose parser, because
// they are cheap and unambiguous (day before month, as in Germany and ISO).
var dateLayouts = []string{
	time.RFC3339Nano,
	time.RFC3339,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 -0700 MST",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/01/02 15:04:05",
	"2006/01/02",
	"02.01.2006, 15:04",
	"02.01.2006 15:04:05",
	"02.01.2006 15:04",
	"02.01.2006",
	"2.1.2006",
	"20060102",
	time.RFC1123Z,
	time.RFC1123,
	time.RFC822Z,
	time.RFC822,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
}

var germanMonths = strings.NewReplacer(
	"January", "January", "February", "February", // so that the German prefixes below leave them alone
	"Januar", "January", "Februar", "February", "März", "March", "Maerz", "March",
	"Mai", "May", "Juni", "June", "Juli", "July", "Oktober", "October", "Dezember", "December",
	"Jan.", "Jan", "Feb.", "Feb", "Mär.", "Mar", "Apr.", "Apr", "Jun.", "Jun", "Jul.", "Jul",
	"Aug.", "Aug", "Sep.", "Sep", "Sept.", "Sep", "Okt.", "Oct", "Nov.", "Nov", "Dez.", "Dec",
)

// germanDay matches "30. Mai 2024" style dates (after month translation: "30. May 2024").
var germanDay = regexp.MustCompile(`^(\d{1,2})\.\s*([A-Za-z]+)\s+(\d{4})(?:[,\s]+(?:um\s+)?(\d{1,2}):(\d{2}))?`)

// parseDate reads a date in any of the many forms pages use. The second
// result is false when nothing sensible was found.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 80 {
		return time.Time{}, false
	}
	s = strings.Join(strings.Fields(s), " ")
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	// Unix timestamps (seconds or milliseconds), as some JSON-LD and meta tags carry.
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		switch {
		case n > 1e12 && n < 1e13:
			return time.UnixMilli(n).UTC(), true
		case n > 7e8 && n < 1e10:
			return time.Unix(n, 0).UTC(), true
		}
		return time.Time{}, false
	}
	en := germanMonths.Replace(s)
	if m := germanDay.FindStringSubmatch(en); m != nil {
		if t, err := time.Parse("2 January 2006", m[1]+" "+m[2]+" "+m[3]); err == nil {
			return withClock(t, m[4], m[5]), true
		}
		if t, err := time.Parse("2 Jan 2006", m[1]+" "+m[2]+" "+m[3]); err == nil {
			return withClock(t, m[4], m[5]), true
		}
	}
	en = strings.TrimSuffix(strings.TrimPrefix(en, "Published "), " Uhr")
	if t, err := parseAnySafe(en); err == nil {
		return t, true
	}
	return time.Time{}, false
}

func withClock(t time.Time, hh, mm string) time.Time {
	if hh == "" {
		return t
	}
	h, _ := strconv.Atoi(hh)
	m, _ := strconv.Atoi(mm)
	if h > 23 || m > 59 {
		return t
	}
	return t.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
}

// parseAnySafe calls dateparse, which has panicked on odd input in the
// past; a date is never worth a crash.
func parseAnySafe(s string) (t time.Time, err error) {
	defer func() {
		if recover() != nil {
			t, err = time.Time{}, strconv.ErrSyntax
		}
	}()
	return dateparse.ParseIn(s, time.UTC, dateparse.PreferMonthFirst(false))
}

// saneDate reports whether t can be a publication date seen at now: not
// before 1995 and not more than a day in the future. floor, when set (the
// date in the URL path), is a lower bound with a day of slack for time zones.
func saneDate(t, now, floor time.Time) bool {
	if t.IsZero() || t.Before(earliestDate) || t.After(now.Add(24*time.Hour)) {
		return false
	}
	if !floor.IsZero() && t.Before(floor.Add(-24*time.Hour)) {
		return false
	}
	return true
}

// urlDatePattern finds /2024/05/30/, /2024-05-30/ or /20240530/ in a path,
// and /2024/05/ (month only) as a weaker hint.
var (
	urlDatePattern  = regexp.MustCompile(`/((?:19|20)\d{2})[/-](0[1-9]|1[0-2]|[1-9])[/-](0[1-9]|[12]\d|3[01]|[1-9])(?:/|[-_.]|$)`)
	urlDateCompact  = regexp.MustCompile(`/((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:/|[-_.]|$)`)
	urlMonthPattern = regexp.MustCompile(`/((?:19|20)\d{2})/(0[1-9]|1[0-2])/`)
)

// dateFromURL returns the date in a URL's path. exact is false when only the
// month is known (then the date is the first of that month).
func dateFromURL(u string) (t time.Time, exact bool) {
	if u == "" {
		return time.Time{}, false
	}
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
		if j := strings.IndexByte(u, '/'); j >= 0 {
			u = u[j:]
		} else {
			return time.Time{}, false
		}
	}
	for _, re := range []*regexp.Regexp{urlDatePattern, urlDateCompact} {
		if m := re.FindStringSubmatch(u); m != nil {
			y, _ := strconv.Atoi(m[1])
			mo, _ := strconv.Atoi(m[2])
			d, _ := strconv.Atoi(m[3])
			t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
			if t.Day() == d {
				return t, true
			}
		}
	}
	if m := urlMonthPattern.FindStringSubmatch(u); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		return time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC), false
	}
	return time.Time{}, false
}
