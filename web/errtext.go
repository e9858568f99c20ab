package web

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"wenyuan"
)

// The domain writes its validation messages in English. The console shows
// them in Chinese on Chinese pages through a table of the English formats
// and their Chinese (messages/errors.zh-Hans.json); a test checks that
// every format the records' validation uses is in it. A message the
// table does not know is shown as it is.

// errorText is one translated message format: its English form as a
// pattern, and the Chinese format its captures go into.
type errorText struct {
	re *regexp.Regexp
	zh string
}

var errorTexts = mustErrorTexts()

func mustErrorTexts() []errorText {
	b, err := messageFS.ReadFile("messages/errors.zh-Hans.json")
	if err != nil {
		panic(err)
	}
	var pairs [][2]string
	if err := json.Unmarshal(b, &pairs); err != nil {
		panic(fmt.Errorf("messages/errors.zh-Hans.json: %w", err))
	}
	out := make([]errorText, 0, len(pairs))
	for _, p := range pairs {
		out = append(out, errorText{re: formatPattern(p[0]), zh: p[1]})
	}
	return out
}

// formatPattern turns a Printf format into a pattern that matches what it
// prints, capturing each verb's text.
func formatPattern(format string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(format); i++ {
		if format[i] == '%' && i+1 < len(format) {
			switch format[i+1] {
			case 'q':
				b.WriteString(`("(?:[^"\\]|\\.)*")`)
			case 'd':
				b.WriteString(`(-?\d+)`)
			case 's':
				b.WriteString(`(.+?)`)
			default:
				b.WriteString(regexp.QuoteMeta(format[i : i+2]))
			}
			i++
			continue
		}
		b.WriteString(regexp.QuoteMeta(format[i : i+1]))
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// errorIn returns msg in lang: Chinese where the table knows it.
func errorIn(lang, msg string) string {
	if lang != wenyuan.LangHans {
		return msg
	}
	for _, t := range errorTexts {
		if m := t.re.FindStringSubmatch(msg); m != nil {
			args := make([]any, len(m)-1)
			for i, s := range m[1:] {
				args[i] = s
			}
			return fmt.Sprintf(t.zh, args...)
		}
	}
	return msg
}

// errorsIn translates the messages of field errors.
func errorsIn(lang string, errs []wenyuan.FieldError) []wenyuan.FieldError {
	out := make([]wenyuan.FieldError, len(errs))
	for i, e := range errs {
		out[i] = wenyuan.FieldError{Field: e.Field, Message: errorIn(lang, e.Message)}
	}
	return out
}
