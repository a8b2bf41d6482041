package article

// TEMPORARY experiment knobs; removed before hand-off.
var (
	XFallback bool
	XNoLD     bool
	XFocus    int
	XDebug    func(string, ...any)
)
