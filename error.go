package wenyuan

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in web/ and one exit status on
// the command line.
const (
	ENOTFOUND     = "not_found"
	EINVALID      = "invalid"
	ECONFLICT     = "conflict"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	EUNAVAILABLE  = "unavailable" // busy for now: try again shortly
	EINTERNAL     = "internal"
)

// Error is an error a user can act on: a code, a message fit to show, and,
// for invalid input, one problem per field.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
}

// FieldError names one field of the input and what is wrong with it. Field
// is a path in the record's JSON form: "titles[0].lang", "date.earliest".
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	s := e.Message
	for i, f := range e.Fields {
		if i == 0 {
			s += ": "
		} else {
			s += "; "
		}
		s += f.Field + ": " + f.Message
	}
	return s
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the *Error in err's chain, or EINTERNAL for
// any other error, or "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err; internal errors get
// a generic one so that no detail of the machine leaks.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// ErrorFields returns the per-field problems carried by err, if any.
func ErrorFields(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Validator collects field problems; Err returns them as one EINVALID error.
type Validator struct {
	Fields []FieldError
}

// Add records a problem with field.
func (v *Validator) Add(field, msg string) {
	v.Fields = append(v.Fields, FieldError{Field: field, Message: msg})
}

// Addf records a problem with field, formatted.
func (v *Validator) Addf(field, format string, args ...any) {
	v.Add(field, fmt.Sprintf(format, args...))
}

// Err returns nil if nothing was added, else an EINVALID *Error.
func (v *Validator) Err(what string) error {
	if len(v.Fields) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "invalid " + what, Fields: v.Fields}
}
