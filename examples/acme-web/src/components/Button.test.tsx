import { Button } from "./Button";

test("Button renders", () => {
  expect(<Button label="OK" />).toMatchSnapshot();
});
