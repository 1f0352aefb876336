from bedrock_lint.cli import main

main()
