print("Hello from Python on unik")
