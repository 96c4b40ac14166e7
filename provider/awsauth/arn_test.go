package awsauth

import "testing"

func TestRoleARNWithoutPath(t *testing.T) {
	tests := []struct {
		in, want, wantErr string
	}{
		{in: "arn:aws:iam::123456789012:role/name", want: "arn:aws:iam::123456789012:role/name"},
		{in: "arn:aws:iam::123456789012:role/some/path/name", want: "arn:aws:iam::123456789012:role/name"},
		{in: "arn:aws-cn:iam::123456789012:role/p/name", want: "arn:aws-cn:iam::123456789012:role/name"},
		{in: "arn:aws-us-gov:iam::123456789012:role/name", want: "arn:aws-us-gov:iam::123456789012:role/name"},
		{
			in:   "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef",
			want: "arn:aws:iam::123456789012:role/AWSReservedSSO_Admin_0123456789abcdef",
		},
		{in: "", wantErr: `roleArn: "" is not an ARN`},
		{in: "concurrent-access", wantErr: `roleArn: "concurrent-access" is not an ARN`},
		{in: "arn:aws:iam::123456789012:user/alice", wantErr: "is not an IAM role ARN"},
		{in: "arn:aws:sts::123456789012:assumed-role/name/session", wantErr: "is not an IAM role ARN"},
		{in: "arn:aws:iam::123456789012:role/path/", wantErr: "has no role name"},
		{in: "arn:aws:iam:::role/name", wantErr: "is not an IAM role ARN"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := RoleARNWithoutPath(tt.in)
			if tt.wantErr != "" {
				if err == nil || !contains(err.Error(), tt.wantErr) {
					t.Fatalf("RoleARNWithoutPath(%q) error = %v, want containing %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("RoleARNWithoutPath(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}
