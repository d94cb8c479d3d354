import { renderToStaticMarkup } from "react-dom/server";
import { Button } from "./Button";

test("Button renders", () => {
  expect(renderToStaticMarkup(<Button label="OK" />)).toMatchSnapshot();
});
