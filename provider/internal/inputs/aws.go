package inputs

// AWS identifiers the components accept, one home for each shape.

import "regexp"

var (
	accountIDRe = regexp.MustCompile(`^[0-9]{12}$`)
	regionRe    = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
)

// IsAccountID reports whether s is a 12-digit AWS account id.
func IsAccountID(s string) bool { return accountIDRe.MatchString(s) }

// IsRegion reports whether s has the shape of an AWS region name (us-east-1, ap-southeast-2).
func IsRegion(s string) bool { return regionRe.MatchString(s) }
