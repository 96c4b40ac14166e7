// Makes an existing Amazon EKS cluster ready for Concurrent for MLflow with one resource.
package concurrent
