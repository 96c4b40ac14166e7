package setup

import (
	"strconv"
	"strings"
)

// Sizes of common EC2 instance types, enough to tell whether Concurrent's bootstrap pod
// (3 vCPU, 7000M memory) fits on a node. Types not described here are not judged.
type instanceSpec struct {
	vcpu      int
	memoryGiB float64
}

// GiB of memory per vCPU of each family (AWS instance type docs).
var memoryPerVCPU = map[string]float64{
	"c4": 1.875, "c5": 2, "c5a": 2, "c5d": 2, "c5n": 2.625, "c6a": 2, "c6i": 2, "c6id": 2, "c6in": 2,
	"c6g": 2, "c6gd": 2, "c7a": 2, "c7g": 2, "c7i": 2, "c8g": 2,
	"m4": 4, "m5": 4, "m5a": 4, "m5d": 4, "m5n": 4, "m6a": 4, "m6i": 4, "m6id": 4, "m6g": 4, "m6gd": 4,
	"m7a": 4, "m7g": 4, "m7i": 4, "m8g": 4,
	"r4": 7.625, "r5": 8, "r5a": 8, "r5d": 8, "r6a": 8, "r6i": 8, "r6g": 8, "r7a": 8, "r7g": 8, "r7i": 8,
}

// vCPUs by size for the families above (medium exists only on Graviton and a few others).
var vcpuBySize = map[string]int{"medium": 1, "large": 2, "xlarge": 4}

// Burstable families differ by size, not by a fixed ratio.
var burstable = map[string]instanceSpec{
	"nano": {2, 0.5}, "micro": {2, 1}, "small": {2, 2}, "medium": {2, 4},
	"large": {2, 8}, "xlarge": {4, 16}, "2xlarge": {8, 32},
}

func lookupInstanceType(name string) (instanceSpec, bool) {
	family, size, ok := strings.Cut(name, ".")
	if !ok {
		return instanceSpec{}, false
	}
	switch family {
	case "t2", "t3", "t3a", "t4g":
		s, ok := burstable[size]
		return s, ok
	}
	ratio, ok := memoryPerVCPU[family]
	if !ok {
		return instanceSpec{}, false
	}
	vcpu, ok := vcpuBySize[size]
	if !ok {
		n, err := strconv.Atoi(strings.TrimSuffix(size, "xlarge"))
		if err != nil || !strings.HasSuffix(size, "xlarge") || n < 2 {
			return instanceSpec{}, false
		}
		vcpu = 4 * n
	}
	return instanceSpec{vcpu: vcpu, memoryGiB: ratio * float64(vcpu)}, true
}
