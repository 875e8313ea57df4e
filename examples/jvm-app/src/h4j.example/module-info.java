/** A small application that uses hungarian4j as a module. */
module h4j.example {
    requires dev.hungarian4j;
}
