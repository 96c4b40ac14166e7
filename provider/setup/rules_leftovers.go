package setup

import "strings"

// checkLeftovers rejects a leftover of the manual runbook that our create would collide
// with, unless adoptExisting adopts it: the error says how to import it instead.
func checkLeftovers(c *config, f *clusterFacts, p *problems) {
	if e := f.existingAccessEntry; e != nil && !c.adoptExisting {
		p.add("roleArn", "%s already has an access entry in cluster %s that this setup did not create (a manual "+
			"setup's?); a principal can have only one, so creating ours would fail. Import it into this stack "+
			"and mark it as this setup's:\n    %s\nor set adoptExisting: true to adopt it (kept in AWS when the setup is deleted)",
			e.principalArn, f.cluster.knownName, strings.Join(e.importCommands, "\n    "))
	}
}
