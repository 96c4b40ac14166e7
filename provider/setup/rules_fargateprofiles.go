package setup

import "regexp"

// The rules of the Fargate profiles' names and count (fargate.selectors, fargate.maxProfiles).

// fargateProfileNameRe: letters, digits, - and _, starting with a letter or digit, at most
// 63 characters (the limit the EKS blueprints apply; the EKS API documents none).
var fargateProfileNameRe = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z_-]{0,62}$`)

func checkFargateProfiles(c *config, p *problems) {
	switch c.fargate.selectors {
	case FargateSelectorsWildcard, FargateSelectorsPerNamespace:
	default:
		p.add("fargate.selectors", "%q is not one of wildcard, perNamespace", c.fargate.selectors)
		return
	}
	need := fargateProfileCount(c)
	switch {
	case c.fargate.maxProfiles < len(fargateRoles):
		p.add("fargate.maxProfiles", "must be >= 2: Concurrent needs its system and worker pods on Fargate (got %d)",
			c.fargate.maxProfiles)
	case need > c.fargate.maxProfiles:
		p.add("namespaces", "%d namespaces need %d Fargate profiles with fargate.selectors perNamespace (one per "+
			"namespace), but fargate.maxProfiles is %d. EKS allows 10 profiles per cluster by default; use "+
			"selectors wildcard (2 profiles whatever the namespace count), fewer namespaces, or raise the quota "+
			"with AWS and then fargate.maxProfiles", len(c.namespaces), need, c.fargate.maxProfiles)
	}
	for _, prof := range fargateProfiles(c.name, c) {
		if !fargateProfileNameRe.MatchString(prof.name) {
			p.add("fargate.selectors", "the Fargate profile name %q (from the component's name) is not a profile name: "+
				"at most 63 letters, digits, - and _, starting with a letter or digit; rename the component", prof.name)
		}
	}
}
