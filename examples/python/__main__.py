import pulumi

from concurrent_setup import program

for name, value in program().items():
    pulumi.export(name, value)
